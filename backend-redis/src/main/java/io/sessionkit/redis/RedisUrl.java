package io.sessionkit.redis;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A parsed {@code SESSION_REDIS} value: {@code redis://[user:password@]host[:port][/db]}, or
 * {@code rediss://...} for TLS.
 *
 * @param host     the server's host name or address
 * @param port     the server's port; 6379 when the URL has none
 * @param user     the ACL user name, or {@code null} for the default user
 * @param password the password, or {@code null} when the server needs none
 * @param database the logical database; 0 when the URL has none
 * @param tls      whether the scheme was {@code rediss}
 */
record RedisUrl(String host, int port, String user, String password, int database, boolean tls) {

    static final int DEFAULT_PORT = 6379;

    /**
     * @param text the URL
     * @return the parsed URL
     * @throws IllegalArgumentException saying what is wrong, never quoting the password
     */
    static RedisUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
            throw new IllegalArgumentException("the scheme must be redis:// or rediss:// (TLS)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("it has no host, or the host is not valid");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("query parameters and fragments are not supported");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be from 1 to 65535");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("the credentials must be written user:password@ or :password@");
            }
            user = colon == 0 ? null : userInfo.substring(0, colon);
            password = userInfo.substring(colon + 1);
        }
        return new RedisUrl(stripBrackets(uri.getHost()), port, user, password, database(uri.getPath()),
                scheme.equalsIgnoreCase("rediss"));
    }

    private static int database(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            int database = Integer.parseInt(path.substring(1));
            if (database >= 0) {
                return database;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the path must be a database number such as /0");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * @return the URL without its password, for messages
     */
    @Override
    public String toString() {
        String credentials = password == null ? "" : (user == null ? "" : user) + ":***@";
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "rediss://" : "redis://") + credentials + shownHost + ":" + port + "/" + database;
    }
}
