package io.sessionkit.memcached;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.HostPort;
import io.sessionkit.core.SessionConfig;
import net.spy.memcached.MemcachedClient;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code SESSION_MEMCACHED*} keys, and the memcached limits on {@code SESSION_KEY_PREFIX},
 * read and checked together: every bad value is reported in one
 * {@link io.sessionkit.SessionConfigException}.
 *
 * @param servers     the servers to connect to, resolved; empty when a client was handed in
 * @param handedIn    the client handed in from code, if any
 * @param timeout     {@code SESSION_MEMCACHED_TIMEOUT}: how long any operation may wait for
 *                    memcached; it bounds a handed-in client's operations too
 * @param itemSizeMax {@code SESSION_MEMCACHED_ITEM_SIZE_MAX}: the servers' item size limit in bytes
 */
record MemcachedSettings(List<InetSocketAddress> servers, Optional<MemcachedClient> handedIn, Duration timeout,
                         int itemSizeMax) {

    /** Servers as {@code host:port[,host:port...]}. */
    static final String SERVERS = "SESSION_MEMCACHED";
    /** How long an operation may wait for an answer. */
    static final String TIMEOUT = "SESSION_MEMCACHED_TIMEOUT";
    /** The servers' item size limit ({@code memcached -I}). */
    static final String ITEM_SIZE_MAX = "SESSION_MEMCACHED_ITEM_SIZE_MAX";

    static final List<HostPort> DEFAULT_SERVERS = List.of(new HostPort("127.0.0.1", 11211));
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final int DEFAULT_ITEM_SIZE_MAX = 1024 * 1024;

    /** memcached's key length limit, in bytes. */
    static final int MAX_KEY_BYTES = 250;
    /** The longest session id the engine passes on: base64url of 128 random bytes, padded length. */
    static final int MAX_ID_CHARS = 172;

    /**
     * Reads the keys. Host names in {@code SESSION_MEMCACHED} are resolved here, so that a
     * misspelled one fails at start-up rather than on every request.
     *
     * @param config the whole configuration
     * @return the memcached settings
     * @throws io.sessionkit.SessionConfigException listing every invalid key
     */
    static MemcachedSettings read(SessionConfig config) {
        ConfigReader reader = config.reader();
        Optional<MemcachedClient> handedIn = reader.client(MemcachedClient.class, SERVERS);
        List<InetSocketAddress> servers = handedIn.isPresent() ? List.of()
                : resolve(reader, reader.hostPorts(SERVERS, DEFAULT_SERVERS));
        Duration defaultTimeout = handedIn.map(c -> Duration.ofMillis(c.getOperationTimeout())).orElse(DEFAULT_TIMEOUT);
        Duration timeout = reader.duration(TIMEOUT, defaultTimeout);
        int itemSizeMax = reader.integer(ITEM_SIZE_MAX, DEFAULT_ITEM_SIZE_MAX, 1024, 1024 * 1024 * 1024);
        checkKeyPrefix(reader, config.keyPrefix(), config.locking());
        reader.validate();
        return new MemcachedSettings(servers, handedIn, timeout, itemSizeMax);
    }

    private static List<InetSocketAddress> resolve(ConfigReader reader, List<HostPort> servers) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (HostPort server : servers) {
            InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
            String fault = address.isUnresolved() ? "host '" + server.host() + "' could not be resolved"
                    : addresses.contains(address) ? server + " is another name of a server listed before it" : null;
            if (fault != null) {
                reader.invalid(SERVERS, reader.string(SERVERS, ""),
                        "a comma-separated list of host:port such as 127.0.0.1:11211,10.0.0.2:11211 (" + fault + ")");
            } else {
                addresses.add(address);
            }
        }
        return List.copyOf(addresses);
    }

    /**
     * Store keys are the prefix and a session id, and with {@code SESSION_LOCKING} a lock key
     * adds {@value MemcachedSessionLocks#SUFFIX}; memcached refuses keys over 250 bytes, and its
     * text protocol keys with spaces or control characters. Checking the prefix once at start-up
     * means no session can fail later for its key.
     */
    private static void checkKeyPrefix(ConfigReader reader, String prefix, boolean locking) {
        if (prefix.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c))) {
            reader.invalid(ConfigKeys.SESSION_KEY_PREFIX, prefix,
                    "free of spaces and control characters, which memcached does not allow in keys");
        }
        int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        int lockSuffix = locking ? MemcachedSessionLocks.SUFFIX.length() : 0;
        int allowed = MAX_KEY_BYTES - MAX_ID_CHARS - lockSuffix;
        if (prefixBytes > allowed) {
            reader.invalid(ConfigKeys.SESSION_KEY_PREFIX, prefix, "at most " + allowed + " bytes in UTF-8 (it is "
                    + prefixBytes + "): memcached keys are limited to " + MAX_KEY_BYTES
                    + " bytes and a session id takes up to " + MAX_ID_CHARS
                    + (locking ? ", and with " + ConfigKeys.SESSION_LOCKING + " a lock key adds "
                    + lockSuffix + " more" : ""));
        }
    }
}
