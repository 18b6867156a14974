package io.sessionkit.testsupport;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisMovedDataException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A private Redis Cluster of three masters without replicas, created with
 * {@code redis-cli --cluster create}. Its nodes get fresh directories each time: a node that
 * remembers an old cluster refuses to join a new one. Needs Jedis on the class path.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    private final List<RedisServerProcess> nodes;
    /** How the nodes speak TLS, or {@code null} when they speak plain text. */
    private final RedisServerProcess.Tls tls;

    private RedisCluster(List<RedisServerProcess> nodes, RedisServerProcess.Tls tls) {
        this.nodes = nodes;
        this.tls = tls;
    }

    /**
     * Starts three nodes, joins them into a cluster and waits until every node reports
     * {@code cluster_state:ok}.
     *
     * @return the running cluster
     * @throws IllegalStateException with what went wrong; nodes already started are stopped
     */
    public static RedisCluster start() {
        return start(null);
    }

    /**
     * Starts three nodes that speak only TLS, to clients and to each other on the cluster bus
     * ({@code --tls-cluster yes}), joins them into a cluster and waits until every node reports
     * {@code cluster_state:ok}. The nodes announce their TLS ports.
     *
     * @param tls the certificate, its key and a socket factory trusting it
     * @return the running cluster
     * @throws IllegalStateException with what went wrong; nodes already started are stopped
     */
    public static RedisCluster startTls(RedisServerProcess.Tls tls) {
        return start(tls);
    }

    private static RedisCluster start(RedisServerProcess.Tls tls) {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                int port = FreePort.onLoopbackWithCompanion(10_000);
                String[] clusterOptions = {"--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "5000"};
                nodes.add(tls == null ? RedisServerProcess.start(port, clusterOptions)
                        : RedisServerProcess.startTls(port, tls, withTlsBus(clusterOptions)));
            }
            RedisCluster cluster = new RedisCluster(List.copyOf(nodes), tls);
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            StoreServerProcess.closeAll(nodes);
            throw e;
        }
    }

    private static String[] withTlsBus(String[] clusterOptions) {
        List<String> options = new ArrayList<>(List.of(clusterOptions));
        options.addAll(List.of("--tls-cluster", "yes"));
        return options.toArray(String[]::new);
    }

    private void create() {
        List<String> arguments = new ArrayList<>();
        if (tls != null) {
            arguments.addAll(List.of("--tls", "--cacert", tls.certificate().toString()));
        }
        arguments.addAll(List.of("--cluster", "create"));
        nodes.forEach(node -> arguments.add("127.0.0.1:" + node.port()));
        arguments.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        RedisServerProcess.program("redis-cli").run(null, Duration.ofSeconds(30), arguments);
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (RedisServerProcess node : nodes) {
            while (!clusterInfo(node).contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster node " + node.port() + " not ok after " + SETTLE_TIMEOUT
                            + ":\n" + clusterInfo(node) + "\n" + node.logTail());
                }
                ServerProcess.pause(50);
            }
        }
    }

    private static String clusterInfo(RedisServerProcess node) {
        try (Jedis jedis = node.jedis()) {
            return jedis.clusterInfo();
        }
    }

    /**
     * @param key a key
     * @return the master that serves the key's slot now
     */
    public RedisServerProcess ownerOf(String key) {
        for (RedisServerProcess node : nodes) {
            try (Jedis jedis = node.jedis()) {
                jedis.exists(key);
                return node;
            } catch (JedisMovedDataException servedElsewhere) {
                // try the next node
            }
        }
        throw new IllegalStateException("no node serves the slot of " + key);
    }

    /**
     * Moves the slot of {@code key}, with its keys, from its master to another, as a
     * resharding does; clients that cached the old layout get {@code MOVED} afterwards.
     *
     * @param key a key in the slot to move
     * @return the new master
     */
    public RedisServerProcess moveSlotOf(String key) {
        RedisServerProcess from = ownerOf(key);
        RedisServerProcess to = nodes.get((nodes.indexOf(from) + 1) % nodes.size());
        try (Jedis source = from.jedis(); Jedis target = to.jedis()) {
            int slot = (int) source.clusterKeySlot(key);
            target.clusterSetSlotImporting(slot, source.clusterMyId());
            source.clusterSetSlotMigrating(slot, target.clusterMyId());
            for (String moving : source.clusterGetKeysInSlot(slot, 1000)) {
                source.migrate("127.0.0.1", to.port(), moving, 0, 5000);
            }
            String targetId = target.clusterMyId();
            for (RedisServerProcess node : nodes) {
                try (Jedis jedis = node.jedis()) {
                    jedis.clusterSetSlotNode(slot, targetId);
                }
            }
        }
        return to;
    }

    /**
     * @return the masters, in the order they were started
     */
    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    /**
     * @return {@code host:port} of every node, comma-separated, as {@code SESSION_REDIS_CLUSTER} takes it
     */
    public String seeds() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /**
     * Stops every node at once and deletes their directories.
     */
    @Override
    public void close() {
        StoreServerProcess.closeAll(nodes);
    }
}
