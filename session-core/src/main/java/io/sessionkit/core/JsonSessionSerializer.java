package io.sessionkit.core;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code json} format, in UTF-8, written and read with Jackson: the record and reading
 * rules of {@link JacksonSessionSerializer} as text,
 * <pre>{@code
 * {"version":3,"created":1764806400000,"maxInactive":1800,"absoluteExpiry":1764892800000,
 *  "permanent":true,"data":{...attributes...}}
 * }</pre>
 * A number beyond a double's range ({@code 1e400}) is refused, as JSON cannot write it back.
 * Error messages give the line and column where a rule was broken. Thread-safe.
 */
public final class JsonSessionSerializer extends JacksonSessionSerializer {

    /** Whether the mapper is SessionKit's own, which writes a value's bytes as they are ({@link JsonSlice}). */
    private final boolean standardMapper;

    /** Creates the serializer with SessionKit's mapper: no modules, no default typing. */
    public JsonSessionSerializer() {
        super("json", SessionJsonMapper.standard(null));
        this.standardMapper = true;
    }

    /**
     * Creates the serializer on an application's own mapper, for custom modules (registered on
     * it explicitly). The serializer works on a copy with the limits applied.
     *
     * @param mapper the mapper; not modified
     * @throws io.sessionkit.SessionConfigException when the mapper has default typing enabled, or
     *                                              a mix-in for {@code Object}: the data could then
     *                                              name classes to instantiate
     */
    public JsonSessionSerializer(ObjectMapper mapper) {
        super("json", SessionJsonMapper.from(mapper, null));
        this.standardMapper = false;
    }

    boolean hasStandardMapper() {
        return standardMapper;
    }
}
