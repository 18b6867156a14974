package io.sessionkit.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program installed on the machine, such as {@code redis-server} or {@code openssl}: found
 * once, then started as a server by {@link ServerProcess} or run to completion here.
 */
public final class ExternalProgram {

    /** Searched after the {@code PATH}: where Debian puts programs that a test JVM's PATH may lack. */
    private static final List<String> FALLBACK_DIRECTORIES = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin");

    private final String name;
    private final Path path;

    private ExternalProgram(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    /**
     * Finds a program on the {@code PATH}, or in {@code /usr/bin}, {@code /usr/local/bin} or {@code /usr/sbin}.
     *
     * @param name        the program's file name, such as {@code memcached}
     * @param installHint how to install it, such as {@code apt-get install -y memcached}
     * @return the program
     * @throws IllegalStateException naming the program and how to install it when it is missing
     */
    public static ExternalProgram find(String name, String installHint) {
        List<String> directories = new ArrayList<>(List.of(
                System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(FALLBACK_DIRECTORIES);
        for (String directory : directories) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
                return new ExternalProgram(name, Path.of(directory, name));
            }
        }
        throw new IllegalStateException(name + " was found neither on the PATH nor in " + FALLBACK_DIRECTORIES
                + "; install it: " + installHint);
    }

    /**
     * @param path an executable file
     * @return the program at that path
     */
    public static ExternalProgram at(Path path) {
        return new ExternalProgram(path.getFileName().toString(), path);
    }

    /**
     * @return the program's file name
     */
    public String name() {
        return name;
    }

    /**
     * @return where it is installed
     */
    public Path path() {
        return path;
    }

    /**
     * @param arguments the arguments
     * @return the command line that runs this program with them
     */
    public List<String> commandLine(List<String> arguments) {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add(path.toString());
        command.addAll(arguments);
        return command;
    }

    /**
     * Runs the program to completion in the current directory.
     *
     * @param timeout   how long it may take
     * @param arguments its arguments
     * @return what it wrote to standard output and error
     * @throws IllegalStateException with the command line and output when it fails or takes too long
     */
    public String run(Duration timeout, String... arguments) {
        return run(null, timeout, List.of(arguments));
    }

    /**
     * Runs the program to completion.
     *
     * @param directory its working directory, or {@code null} for the current one
     * @param timeout   how long it may take
     * @param arguments its arguments
     * @return what it wrote to standard output and error
     * @throws IllegalStateException with the command line and output when it fails or takes too long
     */
    public String run(Path directory, Duration timeout, List<String> arguments) {
        List<String> command = commandLine(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            // Output is read to the end first: a program blocked on a full pipe would never exit.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ":\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit status "
                        + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
