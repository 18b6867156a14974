package io.sessionkit.serialization.binary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.sessionkit.core.JacksonSessionSerializer;

/**
 * The {@code smile} format: the json format's record in Jackson's binary Smile encoding, with
 * its header (a record without one is refused) and with repeated field names written once and
 * referred back to. The reading rules and limits are the json format's
 * ({@link JacksonSessionSerializer}); errors name the byte offset. Selected with
 * {@code SESSION_SERIALIZATION_FORMAT=smile} when this jar is on the class path. Thread-safe.
 */
public final class SmileSessionSerializer extends JacksonSessionSerializer {

    /** Creates the serializer with SessionKit's mapper: no modules, no default typing. */
    public SmileSessionSerializer() {
        super("smile", new SmileFactory());
    }

    /**
     * Creates the serializer on a copy of an application's own mapper, moved onto Smile, for
     * custom modules (registered on it explicitly).
     *
     * @param mapper the mapper, of any format; not modified
     * @throws io.sessionkit.SessionConfigException when the mapper has default typing enabled, or
     *                                              a mix-in for {@code Object}
     */
    public SmileSessionSerializer(ObjectMapper mapper) {
        super("smile", new SmileFactory(), mapper);
    }
}
