package io.sessionkit.core;

import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BackendRegistryTest {

    private final BackendRegistry registry = BackendRegistry.load();

    private static SessionConfig type(String type) {
        return SessionConfig.builder().set("SESSION_TYPE", type).build();
    }

    @Test
    void selectsTheProviderOfTheType() {
        assertInstanceOf(CountingMemoryBackend.class, registry.create(type("memory")));
        assertTrue(registry.types().contains("memory"));
    }

    @Test
    void unknownTypeListsEveryInstalledTypeWithItsProviderAndTheBrokenOnes() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> registry.create(type("bogus")));
        String message = error.getMessage();
        assertTrue(message.contains("SESSION_TYPE was 'bogus'"), message);
        assertTrue(message.contains("memory (io.sessionkit.core.TestProviders$Memory)"), message);
        assertTrue(message.contains("failing (io.sessionkit.core.TestProviders$Failing)"), message);
        assertTrue(message.contains("io.sessionkit.core.NoSuchProviderClass"), "a provider that failed to load is named: " + message);
    }

    @Test
    void aBrokenProviderDoesNotHideTheOthers() {
        assertEquals(java.util.List.of("failing", "memory", "returns-null", "twin"), registry.types(),
                "the providers that load are all there despite the one whose class is missing and the one that cannot be built");
    }

    @Test
    void twoProvidersOfOneTypeFailNamingBoth() {
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> registry.create(type("twin")));
        assertTrue(error.getMessage().contains("TestProviders$TwinOne and io.sessionkit.core.TestProviders$TwinTwo"), error.getMessage());
    }

    @Test
    void aProviderThatFailsToCreateIsNamedWithItsCause() {
        SessionException error = assertThrows(SessionException.class, () -> registry.create(type("failing")));
        assertTrue(error.getMessage().contains("io.sessionkit.core.TestProviders$Failing"), error.getMessage());
        assertTrue(error.getMessage().contains("SESSION_TYPE='failing'"), error.getMessage());
        assertTrue(error.getMessage().contains("cannot open the store socket"), error.getMessage());
        assertInstanceOf(IllegalStateException.class, error.getCause());
    }

    @Test
    void typeIsCaseInsensitive() {
        assertInstanceOf(CountingMemoryBackend.class, registry.create(type("MEMORY")));
    }

    @Test
    void aProviderThatCannotBeInstantiatedIsReportedWithItsCause() {
        String message = assertThrows(SessionConfigException.class, () -> registry.create(type("bogus"))).getMessage();
        assertTrue(message.contains("io.sessionkit.core.TestProviders$FailsToConstruct could not be instantiated"), message);
        assertTrue(message.contains("(cause: java.lang.IllegalStateException: the provider's constructor did I/O and it failed)"), message);
    }

    @Test
    void aProviderThatReturnsNoStoreIsNamed() {
        SessionException error = assertThrows(SessionException.class, () -> registry.create(type("returns-null")));
        assertEquals("backend provider io.sessionkit.core.TestProviders$ReturnsNull for SESSION_TYPE='returns-null'"
                + " returned no backend (null)", error.getMessage());
    }

    @Test
    void withNoStoreInstalledTheMessageSaysSoAndWhatToAdd() throws Exception {
        try (java.net.URLClassLoader nothing = new java.net.URLClassLoader(new java.net.URL[0], null)) {
            BackendRegistry empty = BackendRegistry.load(nothing);
            assertEquals(java.util.List.of(), empty.types());
            assertTrue(empty.describeInstalled().startsWith("none (no io.sessionkit.spi.SessionBackendProvider is registered"),
                    empty.describeInstalled());
            SessionConfigException error = assertThrows(SessionConfigException.class, () -> empty.provider("redis"));
            assertTrue(error.getMessage().contains("Installed: none (no io.sessionkit.spi.SessionBackendProvider"), error.getMessage());
            assertTrue(error.getMessage().contains("io.sessionkit:backend-redis"), error.getMessage());
            assertFalse(error.getMessage().contains("failed to load"), "nothing failed: " + error.getMessage());
        }
    }

    @Test
    void theInstalledProvidersAreListedByTypeWithTheirClasses() {
        assertEquals("failing (io.sessionkit.core.TestProviders$Failing), memory (io.sessionkit.core.TestProviders$Memory),"
                + " returns-null (io.sessionkit.core.TestProviders$ReturnsNull), twin (io.sessionkit.core.TestProviders$TwinOne),"
                + " twin (io.sessionkit.core.TestProviders$TwinTwo)", registry.describeInstalled());
    }
}
