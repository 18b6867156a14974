package io.sessionkit.bench.http;

/**
 * Where the benchmark's private stores listen, as given on the command line.
 *
 * @param redisPort     the Redis port at 127.0.0.1, or {@code null}
 * @param memcachedPort the memcached port at 127.0.0.1, or {@code null}
 * @param fileDirectory the filesystem store's directory, or {@code null}
 * @param jdbcUrl       the JDBC URL of the PostgreSQL database for the {@code jdbc} store, or {@code null}
 */
public record StoreAddresses(Integer redisPort, Integer memcachedPort, String fileDirectory, String jdbcUrl) {

    /**
     * @param value  one of this record's addresses
     * @param option the command-line option that gives it, for the message
     * @param <T>    the address's type
     * @return the address
     * @throws IllegalArgumentException when it was not given
     */
    public <T> T required(T value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("this mode needs " + option + "; bench/http.sh passes it");
        }
        return value;
    }
}
