package io.sessionkit.faults;

import io.sessionkit.testsupport.ExternalProgram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small {@code tmpfs} mounted on a fresh temporary directory, so that a disk can be filled in
 * a second without touching any real one. Its root has mode {@code 0700} and belongs to the user
 * running the JVM, as the filesystem store requires of {@code SESSION_FILE_DIR}. Mounting needs
 * root (or {@code CAP_SYS_ADMIN}); {@link #close()} unmounts it and deletes the directory.
 */
final class SmallTmpfs implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Path root;

    private SmallTmpfs(Path root) {
        this.root = root;
    }

    /**
     * @param sizeBytes the file system's size
     * @return the mounted file system
     * @throws IllegalStateException with {@code mount}'s output when it cannot be mounted
     */
    static SmallTmpfs mount(long sizeBytes) throws IOException {
        Path root = Files.createTempDirectory("sessionkit-small-disk-");
        try {
            mountProgram().run(null, COMMAND_TIMEOUT, List.of("-t", "tmpfs", "-o",
                    "size=" + sizeBytes + ",mode=0700,uid=" + uid() + ",gid=" + gid(), "tmpfs", root.toString()));
        } catch (IllegalStateException e) {
            Files.deleteIfExists(root);
            throw new IllegalStateException("could not mount a " + sizeBytes + "-byte tmpfs on " + root
                    + " for the full-disk scenario; it needs root or CAP_SYS_ADMIN (run the build as root, or leave"
                    + " the fault tests out with -DexcludedGroups=fault): " + e.getMessage(), e);
        }
        return new SmallTmpfs(root);
    }

    /** @return the mount point */
    Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        try {
            ExternalProgram.find("umount", "apt-get install -y mount").run(null, COMMAND_TIMEOUT,
                    List.of("--lazy", root.toString()));
        } finally {
            Files.deleteIfExists(root);
        }
    }

    private static ExternalProgram mountProgram() {
        return ExternalProgram.find("mount", "apt-get install -y mount");
    }

    private static String uid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    private static String gid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:gid").toString();
    }
}
