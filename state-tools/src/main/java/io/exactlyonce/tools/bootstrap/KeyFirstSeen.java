package io.exactlyonce.tools.bootstrap;

/** A key of the table with the time it counts as first seen (epoch ms); a Flink POJO. */
public class KeyFirstSeen {

    public String key;
    public long firstSeen;

    public KeyFirstSeen() {}

    public KeyFirstSeen(String key, long firstSeen) {
        this.key = key;
        this.firstSeen = firstSeen;
    }
}
