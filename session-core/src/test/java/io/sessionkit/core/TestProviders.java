package io.sessionkit.core;

import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

/** Providers registered in this module's test META-INF/services, for the registry's tests. */
final class TestProviders {

    private TestProviders() {
    }

    public static final class Memory implements SessionBackendProvider {
        @Override
        public String type() {
            return "memory";
        }

        @Override
        public SessionBackend create(SessionConfig config) {
            return new CountingMemoryBackend();
        }
    }

    public static final class TwinOne implements SessionBackendProvider {
        @Override
        public String type() {
            return "twin";
        }

        @Override
        public SessionBackend create(SessionConfig config) {
            return new CountingMemoryBackend();
        }
    }

    public static final class TwinTwo implements SessionBackendProvider {
        @Override
        public String type() {
            return "twin";
        }

        @Override
        public SessionBackend create(SessionConfig config) {
            return new CountingMemoryBackend();
        }
    }

    public static final class Failing implements SessionBackendProvider {
        @Override
        public String type() {
            return "failing";
        }

        @Override
        public SessionBackend create(SessionConfig config) {
            throw new IllegalStateException("cannot open the store socket");
        }
    }

    public static final class ReturnsNull implements SessionBackendProvider {
        @Override
        public String type() {
            return "returns-null";
        }

        @Override
        public SessionBackend create(SessionConfig config) {
            return null;
        }
    }

    /** Cannot even be instantiated: ServiceLoader reports it with its cause, and the others still load. */
    public static final class FailsToConstruct implements SessionBackendProvider {
        public FailsToConstruct() {
            throw new IllegalStateException("the provider's constructor did I/O and it failed");
        }

        @Override
        public String type() {
            return "never";
        }

        @Override
        public SessionBackend create(SessionConfig config) {
            throw new AssertionError("never created");
        }
    }
}
