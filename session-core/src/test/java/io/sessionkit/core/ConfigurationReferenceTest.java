package io.sessionkit.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * docs/configuration.md is the reference of every key: each key that the published modules' code
 * names is in it, and it names no key that no code reads.
 */
class ConfigurationReferenceTest {

    /** A key as code spells it: in a string literal. */
    private static final Pattern KEY_LITERAL =
            Pattern.compile("\"(SESSION_[A-Z0-9_]*[A-Z0-9]|SECRET_KEY(?:_FALLBACKS)?|PERMANENT_SESSION_LIFETIME)\"");
    /** A key as the reference spells it: in backticks. */
    private static final Pattern KEY_IN_DOCS =
            Pattern.compile("`(SESSION_[A-Z0-9_]*[A-Z0-9]|SECRET_KEY(?:_FALLBACKS)?|PERMANENT_SESSION_LIFETIME)[`=]");

    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/configuration.md")) && Files.isDirectory(dir.resolve("session-core"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not run inside the SessionKit repository: " + Path.of("").toAbsolutePath());
    }

    /** Keys named in the main code of the published modules (session-*, backend-*), comments left out. */
    private static Set<String> keysInCode(Path repository) throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().matches("(session|backend)-.*")).toList()) {
                Path sources = module.resolve("src/main/java");
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(sources)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(file -> keys.addAll(keysIn(file)));
                }
            }
        }
        return keys;
    }

    private static Set<String> keysIn(Path javaFile) {
        Set<String> keys = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(javaFile)) {
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                    continue;
                }
                Matcher key = KEY_LITERAL.matcher(code);
                while (key.find()) {
                    keys.add(key.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    private static Set<String> keysInReference(Path repository) throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher key = KEY_IN_DOCS.matcher(Files.readString(repository.resolve("docs/configuration.md")));
        while (key.find()) {
            keys.add(key.group(1));
        }
        return keys;
    }

    @Test
    void everyKeyTheCodeReadsIsInTheReference() throws IOException {
        Path repository = repository();
        Set<String> missing = keysInCode(repository);
        assertTrue(missing.size() > 40, "the scan found the keys of the engine and the stores: " + missing);
        missing.removeAll(keysInReference(repository));
        assertEquals(Set.of(), missing, "keys read by the code but missing from docs/configuration.md");
    }

    @Test
    void theReferenceNamesNoKeyThatNoCodeReads() throws IOException {
        Path repository = repository();
        Set<String> unknown = keysInReference(repository);
        unknown.removeAll(keysInCode(repository));
        assertEquals(Set.of(), unknown, "keys in docs/configuration.md that no published module reads");
    }
}
