package io.sessionkit.publishedjars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What each published jar carries for users: its module name, its sources and its Javadoc. */
class PublishedJarsTest {

    @Test
    void everyPublishedJarNamesItsModuleInTheManifest() throws IOException {
        Map<String, String> found = new TreeMap<>();
        for (String artifactId : PublishedJars.MODULE_NAMES.keySet()) {
            try (JarFile jar = new JarFile(PublishedJars.jar(artifactId).toFile())) {
                Manifest manifest = jar.getManifest();
                found.put(artifactId, manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name"));
            }
        }
        assertEquals(new TreeMap<>(PublishedJars.MODULE_NAMES), found);
    }

    @Test
    void theJarsAreValidAutomaticModulesWithoutSplitPackages() {
        // ModuleFinder refuses an invalid module name, and two of the jars sharing a package could
        // not be on one module path together.
        Path[] jars = PublishedJars.MODULE_NAMES.keySet().stream().map(PublishedJars::jar).toArray(Path[]::new);
        Set<ModuleReference> modules = ModuleFinder.of(jars).findAll();

        Set<String> names = modules.stream().map(module -> module.descriptor().name()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(PublishedJars.MODULE_NAMES.values()), names);
        Map<String, String> moduleOfPackage = new HashMap<>();
        for (ModuleReference module : modules) {
            ModuleDescriptor descriptor = module.descriptor();
            assertTrue(descriptor.isAutomatic(), descriptor.name() + " should be an automatic module");
            for (String packageName : descriptor.packages()) {
                String other = moduleOfPackage.putIfAbsent(packageName, descriptor.name());
                assertTrue(other == null, "package " + packageName + " is in both " + other + " and " + descriptor.name());
            }
        }
    }

    @Test
    void everyBackendJarDeclaresItsProviderForServiceLoader() {
        Set<String> declaring = new TreeSet<>();
        for (ModuleReference module : ModuleFinder.of(PublishedJars.MODULE_NAMES.keySet().stream()
                .map(PublishedJars::jar).toArray(Path[]::new)).findAll()) {
            for (ModuleDescriptor.Provides provides : module.descriptor().provides()) {
                if (provides.service().equals("io.sessionkit.spi.SessionBackendProvider")) {
                    declaring.add(module.descriptor().name());
                }
            }
        }
        Set<String> backends = PublishedJars.MODULE_NAMES.values().stream()
                .filter(name -> name.startsWith("io.sessionkit.backend.")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(backends, declaring);
    }

    @Test
    void everyPublishedJarHasSourcesAndJavadocBesideIt() throws IOException {
        for (String artifactId : PublishedJars.MODULE_NAMES.keySet()) {
            Path jar = PublishedJars.jar(artifactId);
            String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            for (String classifier : new String[] {"sources", "javadoc"}) {
                Path attached = jar.resolveSibling(base + "-" + classifier + ".jar");
                assertTrue(Files.isRegularFile(attached), "missing " + attached);
                try (JarFile contents = new JarFile(attached.toFile())) {
                    String expected = classifier.equals("sources") ? ".java" : "index.html";
                    assertTrue(contents.stream().anyMatch(entry -> entry.getName().endsWith(expected)),
                            attached + " has no " + expected + " entry");
                }
            }
        }
    }
}
