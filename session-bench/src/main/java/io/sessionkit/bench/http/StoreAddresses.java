package io.sessionkit.bench.http;

/**
 * Where the benchmark's private stores listen, as given on the command line.
 *
 * @param redisPort     the Redis port at 127.0.0.1, or {@code null}
 * @param memcachedPort the memcached port at 127.0.0.1, or {@code null}
 * @param fileDirectory the filesystem store's directory, or {@code null}
 * @param jdbcUrl       the JDBC URL of the PostgreSQL database for the {@code jdbc} store, or {@code null}
 */
record StoreAddresses(Integer redisPort, Integer memcachedPort, String fileDirectory, String jdbcUrl) {

    <T> T required(T value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("this mode needs " + option + "; bench/http.sh passes it");
        }
        return value;
    }
}
