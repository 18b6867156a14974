package io.sessionkit.testsupport;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionLocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a store's {@link ConditionalWrites} and {@link SessionLocks} do when the reply to a
 * command is lost after the server ran it, so that the client cannot know whether it ran: a
 * {@link ReplyDroppingProxy} stands between the backend under test and the server. A store
 * that sends such a command again must not turn its own success into a failure (an id
 * "already taken", a lock that blocks its own holder, a conflict with itself), and must not
 * let the engine apply a request's changes twice over a later save.
 *
 * <p>A subclass points the backend at a port of 127.0.0.1, the proxy's or the server's own
 * (for the writes that happen "meanwhile"). Each test first warms up: the connection, and
 * whatever the store caches on the server (Redis scripts), so that the reply dropped is the
 * command's own. Needs JUnit Jupiter on the class path.
 */
public abstract class LostReplyTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private ReplyDroppingProxy proxy;
    private SessionBackend throughProxy;
    private SessionBackend direct;
    private ConditionalWrites writes;
    private SessionLocks locks;
    private String key;

    /**
     * @return the port of the server under test, on 127.0.0.1
     */
    protected abstract int serverPort();

    /**
     * Points a backend at the store: {@code SESSION_TYPE}, the address {@code 127.0.0.1:port},
     * and whatever makes the first attempt's connection the one reused (one pooled
     * connection) and lets a command sent again wait for the reconnect (a long enough timeout).
     *
     * @param config an empty builder
     * @param port   the port to reach the server on
     */
    protected abstract void configure(SessionConfig.Builder config, int port);

    private SessionBackend backend(int port) {
        SessionConfig.Builder config = SessionConfig.builder();
        configure(config, port);
        return BackendRegistry.load().create(config.build());
    }

    @BeforeEach
    void connectThroughProxy() {
        proxy = ReplyDroppingProxy.to(serverPort());
        throughProxy = backend(proxy.port());
        direct = backend(serverPort());
        writes = throughProxy.capability(ConditionalWrites.class).orElseThrow();
        locks = throughProxy.capability(SessionLocks.class).orElseThrow();
        key = newKey();
        writes.create(key, bytes("zero"), HOUR);
        writes.replace(key, writes.loadVersioned(key).version(), bytes("one"), HOUR);
        writes.delete(newKey(), 1);
        locks.tryLock(newKey(), "warm-up", HOUR);
        locks.unlock(key, "nobody");
    }

    @AfterEach
    void disconnect() {
        throughProxy.close();
        direct.close();
        proxy.close();
    }

    @Test
    @DisplayName("a replace that ran is reported as done, not as a conflict")
    void replaceThatRanIsDone() {
        long version = writes.loadVersioned(key).version();
        proxy.dropNextReply(() -> { });
        assertTrue(writes.replace(key, version, bytes("two"), HOUR));
        assertTrue(proxy.dropped(), "the reply was not dropped");
        assertArrayEquals(bytes("two"), direct.load(key));
    }

    @Test
    @DisplayName("a replace that ran and was overwritten before it was sent again fails as unknown instead of merging twice")
    void replaceThatRanAndWasOverwrittenFails() {
        long version = writes.loadVersioned(key).version();
        proxy.dropNextReply(() -> direct.save(key, bytes("later request"), HOUR));
        SessionBackendException e = assertThrows(SessionBackendException.class,
                () -> writes.replace(key, version, bytes("two"), HOUR));
        assertEquals("save", e.operation());
        assertTrue(e.getMessage().contains("may or may not have been"), e.getMessage());
        assertArrayEquals(bytes("later request"), direct.load(key), "nothing more was written");
    }

    @Test
    @DisplayName("a replace that ran before its entry was deleted reports the entry gone and does not recreate it")
    void replaceThatRanThenDeletedIsGone() {
        long version = writes.loadVersioned(key).version();
        proxy.dropNextReply(() -> direct.delete(key));
        assertFalse(writes.replace(key, version, bytes("two"), HOUR));
        assertNull(direct.load(key), "not recreated");
    }

    @Test
    @DisplayName("a create that ran is reported as created, not as an id already taken")
    void createThatRanIsCreated() {
        String fresh = newKey();
        proxy.dropNextReply(() -> { });
        assertTrue(writes.create(fresh, bytes("new"), HOUR));
        assertTrue(proxy.dropped(), "the reply was not dropped");
        assertArrayEquals(bytes("new"), direct.load(fresh));
    }

    @Test
    @DisplayName("a lock that was taken belongs to its holder, instead of blocking it until the lease ends")
    void lockThatRanIsHeld() {
        proxy.dropNextReply(() -> { });
        assertTrue(locks.tryLock(key, "holder", HOUR));
        assertTrue(proxy.dropped(), "the reply was not dropped");
        assertFalse(locks.tryLock(key, "other", HOUR));
        locks.unlock(key, "holder");
        assertTrue(locks.tryLock(key, "other", HOUR));
    }

    @Test
    @DisplayName("a conditional delete that ran is sent again and answers that there is nothing to delete: the entry is gone")
    void deleteThatRanIsGone() {
        long version = writes.loadVersioned(key).version();
        proxy.dropNextReply(() -> { });
        assertFalse(writes.delete(key, version), "sent again, it finds nothing to delete");
        assertTrue(proxy.dropped(), "the reply was not dropped");
        assertNull(direct.load(key));
    }

    private static String newKey() {
        byte[] id = new byte[32];
        ThreadLocalRandom.current().nextBytes(id);
        return "session:" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
