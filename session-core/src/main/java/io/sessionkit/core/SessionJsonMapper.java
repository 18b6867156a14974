package io.sessionkit.core;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import io.sessionkit.SessionConfigException;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ObjectMapper} a {@link JacksonSessionSerializer} works with: SessionKit's own, or a
 * copy of an application's that has passed the checks below, on the format's factory, with the
 * read and write limits of session records applied.
 *
 * <p>Stored records are untrusted input (whoever can write to the store, or to the files
 * behind it, writes them), so the limits are set here rather than left to Jackson's defaults,
 * which an application may raise for the whole JVM.
 */
final class SessionJsonMapper {

    /** Largest record read or written, in bytes: 16 times the default {@code SESSION_MAX_SIZE}. */
    static final int MAX_DOCUMENT_LENGTH = 16 * 1024 * 1024;
    /** Deepest nesting of objects and arrays, the envelope included, read or written. */
    static final int MAX_NESTING_DEPTH = 200;
    /** Longest number, in characters; Jackson's default, pinned. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Longest attribute or field name, in characters; Jackson's default, pinned. */
    static final int MAX_NAME_LENGTH = 50_000;

    private static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder()
            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            // A string is never longer than the document that holds it.
            .maxStringLength(MAX_DOCUMENT_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build();

    // A nesting the reader refuses is refused when written, so no session is saved that reads back as lost.
    private static final StreamWriteConstraints WRITE_LIMITS = StreamWriteConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build();

    // Jackson quotes offending tokens and input in its messages; should one be logged, it holds (almost) none of the data.
    private static final ErrorReportConfiguration NO_DATA_IN_ERRORS = ErrorReportConfiguration.builder()
            .maxErrorTokenLength(0)
            .maxRawContentLength(0)
            .build();

    private SessionJsonMapper() {
    }

    /**
     * @param factory the format's factory, not shared with anything else; {@code null} for JSON
     * @return SessionKit's mapper: no modules, no default typing, unknown bean properties ignored
     */
    static ObjectMapper standard(JsonFactory factory) {
        // No findAndRegisterModules(): a module that happens to be on the class path must not
        // change how sessions are read. Applications that want modules hand in their own mapper.
        return limited(new ObjectMapper(factory)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    }

    /**
     * @param mapper  an application's mapper; not modified
     * @param factory the format's factory, not shared with anything else; {@code null} to keep the mapper's own
     * @return a copy of it, on {@code factory}, with the limits applied
     * @throws SessionConfigException when the mapper would let the data name classes to instantiate
     */
    static ObjectMapper from(ObjectMapper mapper, JsonFactory factory) {
        List<String> problems = new ArrayList<>();
        // The mapper's default typing setting is one, shared by its reading and writing sides.
        if (hasDefaultTyping(mapper.getDeserializationConfig())) {
            problems.add("it has default typing enabled (activateDefaultTyping, activateDefaultTypingAsProperty,"
                    + " enableDefaultTyping or setDefaultTyping)");
        }
        if (mapper.getDeserializationConfig().findMixInClassFor(Object.class) != null) {
            problems.add("it has a mix-in for java.lang.Object, which can add type information to every value");
        }
        if (!problems.isEmpty()) {
            throw new SessionConfigException("The ObjectMapper handed to a SessionKit serializer ("
                    + JacksonSessionSerializer.class.getName() + ") was refused: " + String.join("; ", problems) + ". Stored sessions are untrusted input: with"
                    + " default typing the data names the classes Jackson instantiates, which is how Jackson"
                    + " remote-code-execution gadgets work, whatever PolymorphicTypeValidator is set. Hand in a mapper"
                    + " without default typing (register modules with addModule/registerModule for your own types),"
                    + " and read values back typed with Session.get(key, Type.class).");
        }
        return limited(factory == null ? mapper.copy() : mapper.copyWith(factory));
    }

    private static boolean hasDefaultTyping(MapperConfig<?> config) {
        return config.getDefaultTyper(config.constructType(Object.class)) != null;
    }

    private static ObjectMapper limited(ObjectMapper mapper) {
        JsonFactory factory = mapper.getFactory();
        factory.setStreamReadConstraints(READ_LIMITS);
        factory.setStreamWriteConstraints(WRITE_LIMITS);
        factory.setErrorReportConfiguration(NO_DATA_IN_ERRORS);
        return mapper;
    }
}
