package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.spi.SessionSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link SessionSerializer} of a {@code SESSION_SERIALIZATION_FORMAT} through {@link ServiceLoader}. */
final class SerializerRegistry {

    private SerializerRegistry() {
    }

    static SessionSerializer forFormat(String format) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<String> installed = new ArrayList<>();
        for (SessionSerializer serializer : ServiceLoader.load(SessionSerializer.class,
                loader != null ? loader : SessionSerializer.class.getClassLoader())) {
            if (serializer.format().equalsIgnoreCase(format)) {
                return serializer;
            }
            installed.add(serializer.format() + " (" + serializer.getClass().getName() + ")");
        }
        throw new SessionConfigException(ConfigKeys.SESSION_SERIALIZATION_FORMAT + " was '" + format
                + "' but no serializer of that format is installed. Installed: " + String.join(", ", installed)
                + ". Register an io.sessionkit.spi.SessionSerializer in META-INF/services or choose an installed format");
    }
}
