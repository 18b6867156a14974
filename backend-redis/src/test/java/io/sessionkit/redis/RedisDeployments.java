package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One private Redis of each kind the store supports, for tests that must pass on all three:
 * a standalone server, a master with a replica behind a Sentinel, and a three-master Cluster.
 * Each is started the first time a test asks for it, and all are stopped by {@link #close()}.
 */
final class RedisDeployments implements AutoCloseable {

    /** How the backend reaches Redis. */
    enum Kind { STANDALONE, SENTINEL, CLUSTER }

    private static final String MASTER_NAME = "sessions";

    private final List<RedisServerProcess> servers = new ArrayList<>();
    private RedisServerProcess standalone;
    private RedisServerProcess sentinel;
    private RedisClusterFixture cluster;

    /**
     * @param kind the deployment
     * @return a configuration for the engine or a backend on it: the type and the keys that say
     *         where Redis is
     */
    synchronized SessionConfig.Builder config(Kind kind) {
        SessionConfig.Builder config = SessionConfig.builder().set("SESSION_TYPE", "redis");
        return switch (kind) {
            case STANDALONE -> config.set("SESSION_REDIS", standalone().url());
            case SENTINEL -> config.set("SESSION_REDIS_SENTINELS", "127.0.0.1:" + sentinel().port())
                    .set("SESSION_REDIS_SENTINEL_MASTER", MASTER_NAME);
            case CLUSTER -> config.set("SESSION_REDIS_CLUSTER", cluster().seeds());
        };
    }

    /**
     * @return the standalone server, for looking at what the backend stored
     */
    synchronized RedisServerProcess standalone() {
        if (standalone == null) {
            standalone = started(RedisServerProcess.start());
        }
        return standalone;
    }

    private RedisServerProcess sentinel() {
        if (sentinel == null) {
            // Without the delay option the master waits 5 s before the replica's first sync.
            RedisServerProcess master = started(RedisServerProcess.start("--repl-diskless-sync-delay", "0"));
            started(RedisServerProcess.start("--replicaof", "127.0.0.1", String.valueOf(master.port())));
            sentinel = started(RedisServerProcess.startSentinel(MASTER_NAME, master.port()));
        }
        return sentinel;
    }

    private RedisClusterFixture cluster() {
        if (cluster == null) {
            cluster = RedisClusterFixture.start();
        }
        return cluster;
    }

    private RedisServerProcess started(RedisServerProcess server) {
        servers.add(server);
        return server;
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
        RedisServerProcess.stopAll(servers);
    }
}
