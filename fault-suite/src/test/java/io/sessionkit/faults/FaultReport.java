package io.sessionkit.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results file, {@code target/fault-suite-results.md}: a table with one row per store and
 * fault, each replaced when its scenario runs again, and the machine the last one ran on. Also
 * prints each row as it is measured.
 */
final class FaultReport {

    static final Path FILE = Path.of("target", "fault-suite-results.md");
    private static final Path ROWS = Path.of("target", "fault-suite-results");

    private FaultReport() {
    }

    /**
     * Records a scenario's row and rewrites the results file.
     *
     * @param result what the scenario measured
     */
    static synchronized void record(ScenarioResult result) {
        System.out.println("fault suite: " + result.row());
        System.out.println("fault suite: log errors " + result.logErrors() + ", e.g. " + result.logSample());
        try {
            Files.createDirectories(ROWS);
            String key = (result.store() + " " + result.fault()).replaceAll("[^A-Za-z0-9]+", "-");
            Files.writeString(ROWS.resolve(key + ".md"), result.row() + " " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    + " |\n", StandardCharsets.UTF_8);
            Map<String, String> rows = new TreeMap<>();
            try (var files = Files.list(ROWS)) {
                for (Path file : files.toList()) {
                    rows.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8).strip());
                }
            }
            List<String> lines = new ArrayList<>();
            lines.add("# Fault suite results");
            lines.add("");
            lines.add("Written by the fault-suite module's tests (JUnit tag `fault`), for example"
                    + " `mvn -B -pl fault-suite -am verify -Dgroups=fault -DskipPitest`. Machine of the last run: " + machine() + ".");
            lines.add("");
            List<String> columns = new ArrayList<>(ScenarioResult.columns());
            columns.add("measured at (UTC)");
            lines.add("| " + String.join(" | ", columns) + " |");
            lines.add("|" + " --- |".repeat(columns.size()));
            lines.addAll(rows.values());
            lines.add("");
            Files.write(FILE, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + ", Java " + System.getProperty("java.version") + " (" + ManagementFactory.getRuntimeMXBean().getVmName() + ")";
    }
}
