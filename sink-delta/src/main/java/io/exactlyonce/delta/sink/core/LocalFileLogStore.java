package io.exactlyonce.delta.sink.core;

import io.delta.storage.HadoopFileSystemLogStore;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Delta log store of the sink's engines for tables on the local file system ({@code file:}).
 *
 * <p>Kernel's default there ({@code HDFSLogStore}) checks that a log file is absent and then
 * renames onto it. On HDFS that is one atomic NameNode operation; on a local disk it is two steps,
 * so two writers of the same version (two jobs on one table, or two engines in one JVM: the
 * default store's lock is per instance) can both pass the check, and the second rename silently
 * replaces the first writer's commit, which that writer has already reported as done. Hadoop's
 * {@code .crc} side file is renamed separately from its file, so readers also met checksum errors.
 *
 * <p>This store writes the file under a temporary name and publishes it with a hard link, which the
 * operating system creates only if the name is free: one writer of a version wins, every other gets
 * {@link FileAlreadyExistsException} (Kernel's signal to rebase onto the new version). Log files are
 * written through {@code java.nio} and forced to disk, without {@code .crc} side files; a stale one
 * from an earlier writer is removed so readers do not check new content against it. On a file
 * system without hard links the store falls back to a lock around check and move that holds within
 * this JVM only, and says so once in the log.
 */
public final class LocalFileLogStore extends HadoopFileSystemLogStore {

    /** The Kernel setting that selects the log store for {@code file:} paths. */
    public static final String CONF_KEY = "io.delta.kernel.logStore.file.impl";

    private static final Logger LOG = LoggerFactory.getLogger(LocalFileLogStore.class);
    private static final Object JVM_LOCK = new Object();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    public LocalFileLogStore(Configuration initHadoopConf) {
        super(initHadoopConf);
    }

    @Override
    public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
            throws IOException {
        java.nio.file.Path target = localPath(path);
        Files.createDirectories(target.getParent());
        java.nio.file.Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        writeAndForce(temp, actions);
        try {
            removeStaleChecksum(target);
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                publishIfAbsent(temp, target, path);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
        return false;
    }

    private static void publishIfAbsent(java.nio.file.Path temp, java.nio.file.Path target, Path path)
            throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(path.toString());
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                LOG.warn("The file system of {} has no hard links ({}): Delta log files are published under a"
                        + " lock that holds within this JVM only; do not let another process write the table", path, e.toString());
            }
            synchronized (JVM_LOCK) {
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(path.toString());
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException notAtomic) {
                    Files.move(temp, target);
                }
            }
        }
    }

    private static void writeAndForce(java.nio.file.Path temp, Iterator<String> actions) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            Writer writer = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            while (actions.hasNext()) {
                writer.write(actions.next());
                writer.write('\n');
            }
            writer.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Hadoop's local file system checks a file against {@code .<name>.crc} when one exists. */
    private static void removeStaleChecksum(java.nio.file.Path target) throws IOException {
        Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".crc"));
    }

    private static java.nio.file.Path localPath(Path path) {
        java.net.URI uri = path.toUri();
        return uri.getScheme() == null ? java.nio.file.Path.of(uri.getPath()) : java.nio.file.Path.of(uri);
    }
}
