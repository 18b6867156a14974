package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.testsupport.LostReplyTest;
import io.sessionkit.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Redis commands whose reply is lost after the server ran them: the backend retries once on a
 * fresh connection, and create, replace and tryLock find out whether their first attempt ran.
 * One pooled connection, so that the command's own connection is the one broken.
 */
class RedisLostReplyTest extends LostReplyTest {

    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
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
        config.set("SESSION_TYPE", "redis").set("SESSION_REDIS", "redis://127.0.0.1:" + port)
                .set("SESSION_REDIS_POOL_SIZE", "1");
    }
}
