package io.sessionkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool as users run it: {@code java -jar sessionkit-cli-VERSION.jar} beside its {@code lib/}
 * directory, in a process of its own configured by its environment. Runs after the package phase.
 */
class PackagedJarTest {

    @TempDir
    Path sessions;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("sessionkit.cli.jar", "target/sessionkit-cli.jar"));
        assertTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + " (run `mvn verify`, which packages it first)");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Only what the test sets: the machine's own SESSION_* variables must not choose the store.
        builder.environment().keySet().removeIf(name -> name.startsWith("SESSION_") || name.startsWith("SECRET_KEY"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void theJarRunsWithItsLibDirectoryAndFindsEveryBackend() throws Exception {
        Result check = run(Map.of("SESSION_TYPE", "filesystem", "SESSION_FILE_DIR", sessions.toString()), "check");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().contains("probe: ok"), check.toString());
        assertEquals("0", run(Map.of("SESSION_FILE_DIR", sessions.toString()), "count").out().strip(),
                "SESSION_TYPE defaults to filesystem");

        Result unknown = run(Map.of("SESSION_TYPE", "nosuchstore"), "count");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        for (String type : List.of("dynamodb", "filesystem", "jdbc", "memcached", "mongodb", "null", "redis")) {
            assertTrue(unknown.err().contains(type + " (io.sessionkit."), "installed: " + type + " in " + unknown);
        }
        assertEquals(1, unknown.err().lines().count(), unknown.toString());
    }

    @Test
    void theVersionComesFromTheManifest() throws Exception {
        Result version = run(Map.of(), "--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().matches("sessionkit \\d+\\.\\d+\\.\\d+.*\\R"), version.out());
    }
}
