package io.sessionkit.redis;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.KeyBinaryCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The servers a {@code SCAN} of every key must visit: the one server, or the master that the
 * Sentinels name, or every master of a Cluster (a Cluster's {@code SCAN} sees only the node it
 * is sent to; replicas are left out, since they hold the same keys). A Cluster's masters are
 * read from {@code CLUSTER SLOTS} (one round trip) and ordered by the first slot each serves, an
 * order that a failover keeps, so that a listing's cursor can name a master by its position.
 */
final class RedisMasters {

    /** The only "master" of a client that is not a Cluster's: the client itself. */
    private static final Master SINGLE = new Master(null, 0);

    /**
     * A master.
     *
     * @param address   its {@code host:port} as Jedis names its pool, or {@code null} outside a Cluster
     * @param firstSlot the lowest slot it serves
     */
    record Master(String address, int firstSlot) {
    }

    /**
     * What to do on one master.
     *
     * @param <T> the answer
     */
    interface Work<T> {
        /**
         * @param keys     the master's commands
         * @param pipeline opens a pipeline to the same master
         * @return the answer
         */
        T on(KeyBinaryCommands keys, Supplier<? extends AbstractPipeline> pipeline);
    }

    private RedisMasters() {
    }

    /**
     * @param jedis the client
     * @return its masters, in a stable order
     */
    static List<Master> of(UnifiedJedis jedis) {
        if (!(jedis instanceof JedisCluster cluster)) {
            return List.of(SINGLE);
        }
        List<Object> slots;
        try (Jedis node = new Jedis(cluster.getConnectionFromSlot(0))) {
            slots = node.clusterSlots();
        }
        Map<String, Integer> firstSlots = new HashMap<>();
        for (Object range : slots) {
            List<?> fields = (List<?>) range;
            int first = ((Long) fields.get(0)).intValue();
            List<?> master = (List<?>) fields.get(2);
            String address = new String((byte[]) master.get(0), StandardCharsets.UTF_8) + ":" + master.get(1);
            firstSlots.merge(address, first, Math::min);
        }
        List<Master> masters = new ArrayList<>();
        firstSlots.forEach((address, first) -> masters.add(new Master(address, first)));
        masters.sort(Comparator.comparingInt(Master::firstSlot));
        return masters;
    }

    /**
     * Runs work on one master, on a connection of its own pool that it gives back afterwards.
     *
     * @param jedis  the client
     * @param master one of {@link #of}'s masters
     * @param work   the work
     * @param <T>    its answer
     * @return its answer
     */
    static <T> T on(UnifiedJedis jedis, Master master, Work<T> work) {
        if (!(jedis instanceof JedisCluster cluster)) {
            return work.on(jedis, jedis::pipelined);
        }
        ConnectionPool pool = cluster.getClusterNodes().get(master.address());
        // Jedis learns a new master when a command is redirected to it; until then its slot map
        // still finds the master through a slot it serves.
        Connection connection = pool != null ? pool.getResource() : cluster.getConnectionFromSlot(master.firstSlot());
        try (Jedis node = new Jedis(connection)) {
            return work.on(node, node::pipelined);
        }
    }
}
