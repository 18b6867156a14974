package io.sessionkit.publishedjars;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published modules' jars as this build made them, found on the test class path, and the
 * module name each one promises to users (docs/upgrading.md).
 */
final class PublishedJars {

    /** Artifact id to Automatic-Module-Name: changing a name breaks every user's module-info. */
    static final Map<String, String> MODULE_NAMES = moduleNames();

    private PublishedJars() {
    }

    private static Map<String, String> moduleNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("session-api", "io.sessionkit.api");
        names.put("session-core", "io.sessionkit.core");
        names.put("session-servlet", "io.sessionkit.servlet");
        names.put("session-testkit", "io.sessionkit.testkit");
        names.put("backend-null", "io.sessionkit.backend.nullbackend");
        names.put("backend-filesystem", "io.sessionkit.backend.filesystem");
        names.put("backend-redis", "io.sessionkit.backend.redis");
        names.put("backend-memcached", "io.sessionkit.backend.memcached");
        names.put("backend-jdbc", "io.sessionkit.backend.jdbc");
        names.put("backend-mongodb", "io.sessionkit.backend.mongodb");
        names.put("backend-dynamodb", "io.sessionkit.backend.dynamodb");
        names.put("sessionkit-cli", "io.sessionkit.cli");
        names.put("sessionkit-spring-boot-autoconfigure", "io.sessionkit.spring.boot.autoconfigure");
        names.put("session-micrometer", "io.sessionkit.micrometer");
        names.put("session-serialization-binary", "io.sessionkit.serialization.binary");
        return Map.copyOf(names);
    }

    /** @return every entry of the test class path */
    static List<Path> classPath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    /**
     * @param artifactId a published module
     * @return its main jar, as packaged by this build
     * @throws AssertionError when the class path holds the module's classes directory instead
     *         (a build that stopped before the package phase) or nothing of it
     */
    static Path jar(String artifactId) {
        for (Path entry : classPath()) {
            String name = entry.getFileName().toString();
            if (name.startsWith(artifactId + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar")
                    && Files.isRegularFile(entry)
                    && name.substring(artifactId.length() + 1).matches("\\d.*")) {
                return entry;
            }
        }
        throw new AssertionError("No packaged jar of " + artifactId + " on the test class path (run `mvn verify`, which"
                + " packages the modules before this test): " + classPath());
    }
}
