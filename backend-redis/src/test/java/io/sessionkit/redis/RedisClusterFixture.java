package io.sessionkit.redis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisMovedDataException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A private Redis Cluster of three masters without replicas, created with
 * {@code redis-cli --cluster create}. Fresh directories each time: a node that remembers an
 * old cluster refuses to join a new one.
 */
final class RedisClusterFixture implements AutoCloseable {

    private final List<RedisServerProcess> nodes;

    private RedisClusterFixture(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    static RedisClusterFixture start() {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int port = RedisServerProcess.freePort();
                nodes.add(RedisServerProcess.start(port, "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "5000"));
            }
            RedisClusterFixture cluster = new RedisClusterFixture(List.copyOf(nodes));
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            RedisServerProcess.stopAll(nodes);
            throw e;
        }
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(RedisServerProcess.executable("redis-cli"), "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (RedisServerProcess node : nodes) {
            while (!clusterInfo(node).contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster node " + node.port() + " not ok after 20 s:\n"
                            + clusterInfo(node));
                }
                RedisServerProcess.pause(50);
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
    RedisServerProcess ownerOf(String key) {
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
    RedisServerProcess moveSlotOf(String key) {
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

    List<RedisServerProcess> nodes() {
        return nodes;
    }

    /**
     * @return {@code host:port} of every node, comma-separated, as {@code SESSION_REDIS_CLUSTER} takes it
     */
    String seeds() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        RedisServerProcess.stopAll(nodes);
    }
}
