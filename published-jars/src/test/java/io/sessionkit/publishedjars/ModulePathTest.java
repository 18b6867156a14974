package io.sessionkit.publishedjars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application on the module path: every jar of the class path (SessionKit's and its
 * dependencies) as a module, the backends found by ServiceLoader from their META-INF/services.
 */
class ModulePathTest {

    @TempDir
    Path sessionDir;

    @Test
    void serviceLoaderFindsEveryBackendAsANamedModule() throws IOException, InterruptedException {
        List<String> modulePath = new ArrayList<>();
        String mainClasses = null;
        for (Path entry : PublishedJars.classPath()) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry) && entry.endsWith("test-classes")) {
                mainClasses = entry.toString();
            } else if (name.endsWith(".jar") && !name.startsWith("surefire") && !name.endsWith("-tests.jar")) {
                modulePath.add(entry.toString());
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(),
                "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "ALL-MODULE-PATH",
                "-cp", mainClasses,
                ListBackends.class.getName(), sessionDir.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), "java exited with an error:\n" + output);

        TreeSet<String> backends = output.lines().filter(line -> line.startsWith("backend "))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(
                "backend dynamodb io.sessionkit.backend.dynamodb",
                "backend filesystem io.sessionkit.backend.filesystem",
                "backend jdbc io.sessionkit.backend.jdbc",
                "backend memcached io.sessionkit.backend.memcached",
                "backend mongodb io.sessionkit.backend.mongodb",
                "backend null io.sessionkit.backend.nullbackend",
                "backend redis io.sessionkit.backend.redis")), backends, output);
        assertEquals(List.of("read back visits=1 from io.sessionkit.core"),
                output.lines().filter(line -> line.startsWith("read back")).collect(Collectors.toList()), output);
    }
}
