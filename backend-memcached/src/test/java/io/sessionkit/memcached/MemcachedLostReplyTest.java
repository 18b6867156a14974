package io.sessionkit.memcached;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.LostReplyTest;
import io.sessionkit.testsupport.MemcachedServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * memcached operations whose reply is lost after the server ran them: spymemcached cancels an
 * operation whose connection drops while it waits for the answer, the backend sends it once
 * more after the reconnect (about 2 s, hence the longer timeout), and add and cas find out
 * whether their first attempt ran.
 */
class MemcachedLostReplyTest extends LostReplyTest {

    private static MemcachedServerProcess server;

    @BeforeAll
    static void startServer() {
        server = MemcachedServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected int serverPort() {
        return server.port();
    }

    @Override
    protected void configure(SessionConfig.Builder config, int port) {
        config.set("SESSION_TYPE", "memcached").set("SESSION_MEMCACHED", "127.0.0.1:" + port)
                .set("SESSION_MEMCACHED_TIMEOUT", "PT5S");
    }
}
