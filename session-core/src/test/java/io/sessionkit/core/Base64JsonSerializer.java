package io.sessionkit.core;

import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;

import java.lang.reflect.Type;
import java.util.Base64;

/** A third party's serializer, registered in this module's test META-INF/services: JSON, base64-encoded. */
public final class Base64JsonSerializer implements SessionSerializer {

    private final JsonSessionSerializer json = new JsonSessionSerializer();

    @Override
    public String format() {
        return "base64-json";
    }

    @Override
    public byte[] serialize(SessionRecord record) {
        return Base64.getEncoder().encode(json.serialize(record));
    }

    @Override
    public SessionRecord deserialize(byte[] data) {
        return json.deserialize(Base64.getDecoder().decode(data));
    }

    @Override
    public <T> T convert(Object value, Type type) {
        return json.convert(value, type);
    }
}
