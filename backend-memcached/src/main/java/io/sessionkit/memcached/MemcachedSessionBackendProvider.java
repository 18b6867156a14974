package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import net.spy.memcached.MemcachedClient;

/**
 * Session type {@code memcached}: sessions in one or many memcached servers, through
 * spymemcached.
 *
 * <p>Configuration keys:
 * <ul>
 *   <li>{@code SESSION_MEMCACHED}: the servers, {@code host:port[,host:port...]}; default
 *       {@code 127.0.0.1:11211}.</li>
 *   <li>{@code SESSION_MEMCACHED_TIMEOUT}: how long an operation may wait for an answer, in
 *       seconds or ISO-8601; default 1 s.</li>
 *   <li>{@code SESSION_MEMCACHED_ITEM_SIZE_MAX}: the servers' item size limit
 *       ({@code memcached -I}) in bytes; default 1048576.</li>
 * </ul>
 * Instead of {@code SESSION_MEMCACHED}, the application may hand in its own
 * {@link MemcachedClient} with {@link SessionConfig.Builder#client(Object)}; it is used as it is
 * and never shut down by the store; setting {@code SESSION_MEMCACHED} as well is a
 * configuration error, while {@code SESSION_MEMCACHED_TIMEOUT} and
 * {@code SESSION_MEMCACHED_ITEM_SIZE_MAX} apply to it too. {@code SESSION_KEY_PREFIX} is checked
 * at start-up: with the longest session id it must fit memcached's 250-byte keys, without
 * spaces or control characters.
 *
 * <p>Servers are connected in the background: one that cannot be reached at start-up is not an
 * error, its operations fail (or move to another server) later; see
 * {@link MemcachedClientFactory}.
 */
public final class MemcachedSessionBackendProvider implements SessionBackendProvider {

    /** The {@code SESSION_TYPE} of this store. */
    public static final String TYPE = "memcached";

    /** Does no work; {@link #create} reads the configuration and connects. */
    public MemcachedSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        MemcachedSettings settings = MemcachedSettings.read(config);
        BackendClient<MemcachedClient> client = settings.handedIn().map(BackendClient::handedIn)
                .orElseGet(() -> MemcachedClientFactory.connect(settings.servers(), settings.timeout()));
        boolean binaryProtocol = settings.handedIn().map(MemcachedClientFactory::speaksBinary).orElse(true);
        return new MemcachedSessionBackend(client, settings.timeout(), settings.itemSizeMax(), binaryProtocol);
    }
}
