package io.sessionkit.memcached;

import net.spy.memcached.MemcachedNode;
import net.spy.memcached.NodeLocator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Ketama placement whose fallback sequence reaches every server. spymemcached's
 * {@code KetamaNodeLocator} offers only seven re-hashed candidates when a key's server is
 * down; with two servers all seven are the dead one for about one key in 128, and under
 * {@code FailureMode.Redistribute} such a key waits the whole timeout for the dead server
 * instead of moving. Here the seven candidates are followed by every server, from a position
 * derived from the key, so a key moves whenever any server is up, and moves to the same
 * server from every client.
 */
final class ExhaustiveKetamaNodeLocator implements NodeLocator {

    private final NodeLocator ketama;

    ExhaustiveKetamaNodeLocator(NodeLocator ketama) {
        this.ketama = ketama;
    }

    @Override
    public MemcachedNode getPrimary(String key) {
        return ketama.getPrimary(key);
    }

    @Override
    public Iterator<MemcachedNode> getSequence(String key) {
        // Only asked for when the key's own server is down, so building a list is cheap enough.
        List<MemcachedNode> sequence = new ArrayList<>();
        ketama.getSequence(key).forEachRemaining(sequence::add);
        List<MemcachedNode> all = new ArrayList<>(ketama.getAll());
        if (!all.isEmpty()) {
            // String.hashCode is specified, so every client picks the same fallback order.
            int start = Math.floorMod(key.hashCode(), all.size());
            sequence.addAll(all.subList(start, all.size()));
            sequence.addAll(all.subList(0, start));
        }
        return sequence.iterator();
    }

    @Override
    public Collection<MemcachedNode> getAll() {
        return ketama.getAll();
    }

    @Override
    public NodeLocator getReadonlyCopy() {
        return new ExhaustiveKetamaNodeLocator(ketama.getReadonlyCopy());
    }

    @Override
    public void updateLocator(List<MemcachedNode> nodes) {
        ketama.updateLocator(nodes);
    }
}
