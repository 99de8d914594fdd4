package io.exactlyonce.tools.savepoint;

/**
 * A Delta committer's transaction as a savepoint holds it (a Flink POJO): the committer's uid and
 * appId, the checkpoint that sealed it ({@code -1} for the open transaction no checkpoint sealed),
 * and its files, rows and bytes. A committer without any transaction is one row with {@code
 * checkpointId} {@link #NONE}.
 */
public class PendingTransaction {

    /** The checkpoint id of the placeholder row of a committer that holds no transaction. */
    public static final long NONE = Long.MIN_VALUE;

    public String uid;
    public String appId;
    public long checkpointId;
    public boolean open;
    public int files;
    public long rows;
    public long bytes;

    public PendingTransaction() {}
}
