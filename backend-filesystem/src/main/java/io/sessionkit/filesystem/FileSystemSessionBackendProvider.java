package io.sessionkit.filesystem;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/**
 * Provides the {@code filesystem} store, SessionKit's embedded default: one file per session in
 * {@code SESSION_FILE_DIR}, no server needed.
 */
public final class FileSystemSessionBackendProvider implements SessionBackendProvider {

    /** The type name, {@code filesystem}. */
    public static final String TYPE = "filesystem";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        return new FileSystemSessionBackend(FileSystemStoreConfig.from(config), config.clock());
    }
}
