package io.sessionkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.VersionedEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sessionkit show ID}: one session's stored record, decoded with the configured
 * serializer, as JSON. Reads the entry as it is: unlike a request, it does not extend the
 * session's life.
 */
@Command(name = "show", header = "Print a session's stored record as JSON.",
        description = {
        "Print a session's record as JSON: attributes, created, expires and the record's other fields.",
        "ID is the whole id or its first 8 or more characters (a prefix needs SessionListing)."})
final class ShowCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    private SessionKitCli cli;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The session's id, or its first 8 or more characters.")
    private String id;

    @Option(names = "--full-id", description = "Print the whole id in the output (a credential).")
    private boolean fullId;

    @Override
    public Integer call() throws JsonProcessingException {
        try (Store store = cli.openStore()) {
            String wholeId = SessionIdArgument.resolve(store, id);
            String key = store.key(wholeId);
            Optional<ExpiryReportingLoad> withExpiry = store.engine().capability(ExpiryReportingLoad.class);
            byte[] value;
            Instant expires = null;
            if (withExpiry.isPresent()) {
                VersionedEntry entry = withExpiry.get().loadWithExpiry(key);
                value = entry == null ? null : entry.value();
                expires = entry == null ? null : entry.expiresAt();
            } else {
                value = store.backend().load(key);
            }
            if (value == null) {
                throw new CliFailure(ExitCode.NOT_FOUND, "no session " + SessionIdArgument.prefix(wholeId)
                        + "... in the store (it expired, was deleted, or the id is wrong)");
            }
            SessionRecord record;
            try {
                record = store.serializer().deserialize(value);
            } catch (RuntimeException e) {
                throw new CliFailure(ExitCode.STORE, "session " + SessionIdArgument.prefix(wholeId) + "... does not decode as "
                        + store.config().serializationFormat() + " (SESSION_SERIALIZATION_FORMAT): " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println(JSON.writeValueAsString(
                    document(fullId ? wholeId : SessionIdArgument.prefix(wholeId), store, record, expires, value.length)));
        }
        return ExitCode.OK;
    }

    private static Map<String, Object> document(String shownId, Store store, SessionRecord record, Instant expires, int size) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", shownId);
        document.put("user", store.config().principalKey().map(record.attributes()::get).orElse(null));
        document.put("created", text(record.created()));
        // Only a backend with ExpiryReportingLoad tells the entry's expiry without touching it.
        document.put("expires", text(expires));
        document.put("permanent", record.permanent());
        document.put("version", record.version());
        document.put("maxInactive", record.maxInactive() == null ? null : record.maxInactive().toString());
        document.put("absoluteExpiry", text(record.absoluteExpiry()));
        document.put("size", size);
        document.put("attributes", record.attributes());
        return document;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
