package io.sessionkit.memcached;

import io.sessionkit.ConfigKeys;
import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;
import net.spy.memcached.MemcachedClient;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memcached store's own configuration keys, read and checked together so that every
 * problem is reported at once.
 *
 * @param nodes            the servers to connect to; empty when a client was handed in
 * @param client           the client handed in from code, if any
 * @param operationTimeout how long any operation may wait for memcached
 * @param itemSizeMax      the servers' item size limit in bytes
 */
record MemcachedStoreConfig(List<InetSocketAddress> nodes, Optional<MemcachedClient> client,
                            Duration operationTimeout, int itemSizeMax) {

    /** Servers as {@code host:port[,host:port...]}. */
    static final String SESSION_MEMCACHED = "SESSION_MEMCACHED";
    /** How long an operation may wait for an answer. */
    static final String SESSION_MEMCACHED_TIMEOUT = "SESSION_MEMCACHED_TIMEOUT";
    /** The servers' item size limit ({@code memcached -I}). */
    static final String SESSION_MEMCACHED_ITEM_SIZE_MAX = "SESSION_MEMCACHED_ITEM_SIZE_MAX";

    static final String DEFAULT_NODES = "127.0.0.1:11211";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final int DEFAULT_ITEM_SIZE_MAX = 1024 * 1024;

    /** memcached's key length limit, in bytes. */
    static final int MAX_KEY_BYTES = 250;
    /** The longest session id the engine passes on: base64url of 128 random bytes, padded length. */
    static final int MAX_ID_CHARS = 172;

    private static final Pattern NODE = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]\\s]+):(\\d{1,5})");
    private static final String NODE_SYNTAX = "a comma-separated list of host:port such as 127.0.0.1:11211,10.0.0.2:11211";

    /**
     * @param config the whole configuration
     * @return the memcached settings
     * @throws io.sessionkit.SessionConfigException listing every invalid key
     */
    static MemcachedStoreConfig read(SessionConfig config) {
        ConfigReader reader = config.reader();
        Optional<MemcachedClient> client = config.client(MemcachedClient.class);
        List<InetSocketAddress> nodes = List.of();
        if (client.isEmpty()) {
            nodes = parseNodes(reader, reader.string(SESSION_MEMCACHED, DEFAULT_NODES));
        } else {
            reader.optionalString(SESSION_MEMCACHED).ifPresent(value -> reader.problem(SESSION_MEMCACHED + " was '"
                    + ConfigReader.describe(SESSION_MEMCACHED, value) + "' but a MemcachedClient was also handed in"
                    + " from code; configure the servers in one place only"));
        }
        Duration defaultTimeout = client.map(c -> Duration.ofMillis(c.getOperationTimeout())).orElse(DEFAULT_TIMEOUT);
        Duration timeout = reader.duration(SESSION_MEMCACHED_TIMEOUT, defaultTimeout);
        int itemSizeMax = reader.integer(SESSION_MEMCACHED_ITEM_SIZE_MAX, DEFAULT_ITEM_SIZE_MAX,
                1024, 1024 * 1024 * 1024);
        checkKeyPrefix(reader, config.keyPrefix());
        reader.validate();
        return new MemcachedStoreConfig(nodes, client, timeout, itemSizeMax);
    }

    private static List<InetSocketAddress> parseNodes(ConfigReader reader, String value) {
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            Matcher node = NODE.matcher(item.trim());
            if (!node.matches()) {
                reader.invalid(SESSION_MEMCACHED, value, NODE_SYNTAX + " ('" + item.trim() + "' is not host:port)");
                continue;
            }
            String host = node.group(1).startsWith("[") ? node.group(1).substring(1, node.group(1).length() - 1)
                    : node.group(1);
            int port = Integer.parseInt(node.group(2));
            if (port < 1 || port > 65535) {
                reader.invalid(SESSION_MEMCACHED, value, NODE_SYNTAX + " (port " + port + " is not from 1 to 65535)");
                continue;
            }
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                reader.invalid(SESSION_MEMCACHED, value, NODE_SYNTAX + " (host '" + host + "' could not be resolved)");
            } else if (nodes.contains(address)) {
                reader.invalid(SESSION_MEMCACHED, value, NODE_SYNTAX + " (" + item.trim() + " is listed twice)");
            } else {
                nodes.add(address);
            }
        }
        return List.copyOf(nodes);
    }

    /**
     * Store keys are the prefix and a session id; memcached refuses keys over 250 bytes, and
     * its text protocol keys with spaces or control characters. Checking the prefix once at
     * start-up means no session can fail later for its key.
     */
    private static void checkKeyPrefix(ConfigReader reader, String prefix) {
        if (prefix.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c))) {
            reader.invalid(ConfigKeys.SESSION_KEY_PREFIX, prefix,
                    "free of spaces and control characters, which memcached does not allow in keys");
        }
        int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        int allowed = MAX_KEY_BYTES - MAX_ID_CHARS;
        if (prefixBytes > allowed) {
            reader.invalid(ConfigKeys.SESSION_KEY_PREFIX, prefix, "at most " + allowed + " bytes in UTF-8 (it is "
                    + prefixBytes + "): memcached keys are limited to " + MAX_KEY_BYTES
                    + " bytes and a session id takes up to " + MAX_ID_CHARS);
        }
    }
}
