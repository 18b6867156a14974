package io.sessionkit.serialization.binary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.sessionkit.core.JacksonSessionSerializer;

/**
 * The {@code cbor} format: the json format's record in CBOR (RFC 8949), written and read with
 * Jackson. The reading rules and limits are the json format's ({@link JacksonSessionSerializer});
 * errors name the byte offset. Selected with {@code SESSION_SERIALIZATION_FORMAT=cbor} when this
 * jar is on the class path. Thread-safe.
 */
public final class CborSessionSerializer extends JacksonSessionSerializer {

    /** Creates the serializer with SessionKit's mapper: no modules, no default typing. */
    public CborSessionSerializer() {
        super("cbor", new CBORFactory());
    }

    /**
     * Creates the serializer on a copy of an application's own mapper, moved onto CBOR, for
     * custom modules (registered on it explicitly).
     *
     * @param mapper the mapper, of any format; not modified
     * @throws io.sessionkit.SessionConfigException when the mapper has default typing enabled, or
     *                                              a mix-in for {@code Object}
     */
    public CborSessionSerializer(ObjectMapper mapper) {
        super("cbor", new CBORFactory(), mapper);
    }
}
