package io.exactlyonce.job.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TCP sockets this JVM listens on, read from {@code /proc/net/tcp}, {@code /proc/net/tcp6} and
 * {@code /proc/self/fd} (Linux only, no external tools): a LISTEN entry belongs to this process when
 * its inode is one of the process's open socket descriptors.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** "address:port" of every listening socket of this process, address in Java's notation. */
    static Set<String> ofThisProcess() throws IOException {
        Set<String> inodes = socketInodes();
        Set<String> sockets = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Paths.get(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    sockets.add(decode(f[1]));
                }
            }
        }
        return sockets;
    }

    static boolean isLoopback(String socket) throws UnknownHostException {
        String host = socket.substring(0, socket.lastIndexOf(':'));
        return InetAddress.getByName(host).isLoopbackAddress();
    }

    private static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while listing
                }
            }
        }
        return inodes;
    }

    /** {@code 0100007F:1F90} (IPv4) or 32 hex digits (IPv6), each 32-bit word little-endian. */
    private static String decode(String hexAddressPort) throws UnknownHostException {
        String[] parts = hexAddressPort.split(":");
        String hex = parts[0];
        byte[] address = new byte[hex.length() / 2];
        for (int word = 0; word < address.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                address[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(address).getHostAddress() + ":" + Integer.parseInt(parts[1], 16);
    }
}
