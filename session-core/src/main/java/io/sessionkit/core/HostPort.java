package io.sessionkit.core;

import java.util.Objects;

/**
 * A server address as configured: a host name or IP address and a port. Read with
 * {@link ConfigReader#hostPorts}; the host is not resolved.
 *
 * @param host the host name or IP address, an IPv6 address without its brackets
 * @param port the port, from 1 to 65535
 */
public record HostPort(String host, int port) {

    /**
     * @throws IllegalArgumentException when the host is blank or the port out of range
     */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a host and port: " + host + ":" + port);
        }
    }

    /**
     * @param text {@code host:port} or {@code [ipv6]:port}
     * @return the address, or {@code null} when the text is not of that form
     */
    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null; // an IPv6 address must be bracketed, or its last group reads as the port
        }
        if (host.isBlank() || host.chars().anyMatch(c -> c == '/' || c == '@' || c == '[' || c == ']' || Character.isWhitespace(c))) {
            return null;
        }
        String digits = text.substring(colon + 1);
        if (digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535 ? new HostPort(host, port) : null;
    }

    /**
     * @return {@code host:port}, with an IPv6 host in brackets
     */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
