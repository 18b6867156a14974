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
        assertEquals(java.util.List.of("failing", "memory", "twin"), registry.types(),
                "the providers that load are all there despite the one whose class is missing");
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
}
