package io.sessionkit.spi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class BackendClientTest {

    @Test
    void anOwnedClientIsClosedExactlyOnce() {
        AtomicInteger closes = new AtomicInteger();
        BackendClient<String> client = BackendClient.owned("pool", c -> closes.incrementAndGet());
        assertEquals("pool", client.get());
        assertTrue(client.owned());
        client.close();
        client.close();
        assertEquals(1, closes.get());
    }

    @Test
    void aHandedInClientIsNeverClosed() {
        BackendClient<StringBuilder> client = BackendClient.handedIn(new StringBuilder("app's"));
        assertFalse(client.owned());
        client.close();
        assertEquals("app's", client.get().toString());
    }

    @Test
    void aCheckedFailureOnCloseIsReportedWithTheClientClassAndCause() {
        IOException cause = new IOException("socket already gone");
        BackendClient<String> client = BackendClient.owned("pool", c -> {
            throw cause;
        });
        IllegalStateException error = assertThrows(IllegalStateException.class, client::close);
        assertEquals("closing java.lang.String failed: socket already gone", error.getMessage());
        assertSame(cause, error.getCause());
        client.close(); // a second close does not try again
    }

    @Test
    void anUncheckedFailureOnCloseIsRethrownAsItIs() {
        IllegalArgumentException cause = new IllegalArgumentException("bad");
        BackendClient<String> client = BackendClient.owned("pool", c -> {
            throw cause;
        });
        assertSame(cause, assertThrows(IllegalArgumentException.class, client::close));
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> BackendClient.handedIn(null));
        assertThrows(NullPointerException.class, () -> BackendClient.owned("x", null));
    }

    @Test
    void closeOnFailureReturnsWhatTheConstructionBuilt() {
        AtomicInteger closes = new AtomicInteger();
        BackendClient<String> client = BackendClient.owned("pool", c -> closes.incrementAndGet());
        assertEquals("backend on pool", client.closeOnFailure(c -> "backend on " + c.get()));
        assertEquals(0, closes.get(), "a client whose backend was built stays open");
    }

    @Test
    void aFailedConstructionClosesAnOwnedClientAndRethrows() {
        AtomicInteger closes = new AtomicInteger();
        BackendClient<String> client = BackendClient.owned("pool", c -> closes.incrementAndGet());
        IllegalStateException failure = new IllegalStateException("table cannot be created");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> client.closeOnFailure(c -> {
            throw failure;
        })));
        assertEquals(1, closes.get());
    }

    @Test
    void aFailureToCloseIsAddedToTheConstructionsFailure() {
        IllegalArgumentException closing = new IllegalArgumentException("close failed too");
        BackendClient<String> client = BackendClient.owned("pool", c -> {
            throw closing;
        });
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> client.closeOnFailure(c -> {
            throw new IllegalStateException("prepare failed");
        }));
        assertEquals("prepare failed", failure.getMessage());
        assertSame(closing, failure.getSuppressed()[0]);
    }

    @Test
    void aFailedConstructionLeavesAHandedInClientOpen() {
        StringBuilder applications = new StringBuilder("open");
        BackendClient<StringBuilder> client = BackendClient.handedIn(applications);
        assertThrows(IllegalStateException.class, () -> client.closeOnFailure(c -> {
            throw new IllegalStateException("prepare failed");
        }));
        assertEquals("open", applications.toString());
    }
}
