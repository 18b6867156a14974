package io.sessionkit.jdbc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The network timeouts of the PostgreSQL, MariaDB and MySQL drivers, derived from
 * {@code SESSION_JDBC_TIMEOUT} for the pool the backend opens itself.
 *
 * <p>Why they are needed: a query timeout does not end a statement whose server has stopped
 * answering (a hung machine, a network path that drops every packet). The drivers carry it out
 * by asking the server to stop the statement (a cancel request over a new connection, a
 * server-side time limit, {@code KILL QUERY}), which a frozen server never does. Without a
 * socket timeout, which all three drivers leave at "none", the request thread then waits for
 * the socket forever.
 *
 * <ul>
 *   <li>{@code socketTimeout}: the query timeout plus {@link #SOCKET_MARGIN}, so that the
 *       server's own cancellation of a slow statement arrives first and keeps the connection;
 *       only a server that does not answer at all runs into it, which closes the connection.
 *       It also bounds each read while a new connection logs in.</li>
 *   <li>{@code connectTimeout} (and PostgreSQL's {@code loginTimeout}, which bounds the whole
 *       log-in): {@code SESSION_JDBC_TIMEOUT}, as long as the pool waits for a connection.</li>
 *   <li>PostgreSQL's {@code cancelSignalTimeout} (default 10 s): {@code SESSION_JDBC_TIMEOUT}.
 *       When a statement's query timeout passes, pgjdbc sends the server a cancel request, and
 *       a statement that ends meanwhile, by its socket timeout included, waits for that request
 *       to be done before it returns: to a frozen server, the whole 10 s.</li>
 * </ul>
 *
 * <p>PostgreSQL ({@code jdbc:postgresql:}, pgjdbc) takes whole seconds; MariaDB
 * ({@code jdbc:mariadb:}, MariaDB Connector/J) and MySQL ({@code jdbc:mysql:}, MySQL
 * Connector/J or MariaDB Connector/J) take milliseconds. A property the URL names already is
 * left as the URL says, {@code 0} ("no timeout") included. Other URLs get nothing.
 */
final class DriverTimeouts {

    /** How much longer than the query timeout a read from the socket may take. */
    static final Duration SOCKET_MARGIN = Duration.ofSeconds(1);

    static final String SOCKET_TIMEOUT = "socketTimeout";
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String LOGIN_TIMEOUT = "loginTimeout";
    static final String CANCEL_SIGNAL_TIMEOUT = "cancelSignalTimeout";

    private DriverTimeouts() {
    }

    /**
     * @param url     the pool's JDBC URL
     * @param timeout {@code SESSION_JDBC_TIMEOUT}
     * @return the driver properties to set, by name, in the order given above; empty for a
     *         driver that is not known here
     */
    static Map<String, String> forUrl(String url, Duration timeout) {
        Map<String, String> properties = new LinkedHashMap<>();
        String scheme = url.toLowerCase(Locale.ROOT);
        long socketTimeoutSeconds = JdbcSettings.queryTimeoutSeconds(timeout) + SOCKET_MARGIN.toSeconds();
        if (scheme.startsWith("jdbc:postgresql:")) {
            int connectSeconds = JdbcSettings.queryTimeoutSeconds(timeout);
            putUnlessNamed(properties, url, SOCKET_TIMEOUT, Long.toString(socketTimeoutSeconds));
            putUnlessNamed(properties, url, CONNECT_TIMEOUT, Integer.toString(connectSeconds));
            putUnlessNamed(properties, url, LOGIN_TIMEOUT, Integer.toString(connectSeconds));
            putUnlessNamed(properties, url, CANCEL_SIGNAL_TIMEOUT, Integer.toString(connectSeconds));
        } else if (scheme.startsWith("jdbc:mariadb:") || scheme.startsWith("jdbc:mysql:")
                || scheme.startsWith("jdbc:mysql+srv:")) {
            putUnlessNamed(properties, url, SOCKET_TIMEOUT, Long.toString(socketTimeoutSeconds * 1000));
            putUnlessNamed(properties, url, CONNECT_TIMEOUT, Long.toString(timeout.toMillis()));
        }
        return properties;
    }

    private static void putUnlessNamed(Map<String, String> properties, String url, String name, String value) {
        if (!names(url, name)) {
            properties.put(name, value);
        }
    }

    /**
     * Whether the URL sets the property: as a parameter ({@code ?name=} or {@code &name=}, also
     * {@code ;name=}) or in MySQL's {@code address=(name=value)} form. Ignores letter case, so a
     * name the driver might read either way is never set twice.
     */
    static boolean names(String url, String name) {
        return Pattern.compile("[?&;(]\\s*" + Pattern.quote(name) + "\\s*=", Pattern.CASE_INSENSITIVE).matcher(url).find();
    }
}
