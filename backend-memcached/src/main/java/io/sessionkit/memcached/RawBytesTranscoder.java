package io.sessionkit.memcached;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * Passes session bytes to memcached and back untouched. spymemcached's default transcoder
 * would compress values over 16 KiB, serialize non-{@code byte[]} values and record both in
 * the item's flags; sessions are already serialized, and a store must return exactly what was
 * saved, so this one writes the bytes as they are with flags 0 and reads any item's bytes back
 * as they are.
 */
final class RawBytesTranscoder implements Transcoder<byte[]> {

    static final RawBytesTranscoder INSTANCE = new RawBytesTranscoder();

    private static final int PLAIN_FLAGS = 0;

    private RawBytesTranscoder() {
    }

    @Override
    public boolean asyncDecode(CachedData data) {
        return false;
    }

    @Override
    public CachedData encode(byte[] value) {
        // The item size limit is checked by the backend before encoding, with a message that names it.
        return new CachedData(PLAIN_FLAGS, value, Integer.MAX_VALUE);
    }

    @Override
    public byte[] decode(CachedData data) {
        return data.getData();
    }

    @Override
    public int getMaxSize() {
        return Integer.MAX_VALUE;
    }
}
