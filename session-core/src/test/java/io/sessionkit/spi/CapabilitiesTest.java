package io.sessionkit.spi;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class CapabilitiesTest {

    private final ExpiredSessionCleanup cleanup = () -> 3;
    private final SessionLocks locks = new SessionLocks() {
        @Override
        public boolean tryLock(String key, String token, java.time.Duration lease) {
            return true;
        }

        @Override
        public void unlock(String key, String token) {
        }
    };

    @Test
    void eachCapabilityIsFoundByItsInterface() {
        Capabilities capabilities = Capabilities.none().with(ExpiredSessionCleanup.class, cleanup).with(SessionLocks.class, locks);
        assertSame(cleanup, capabilities.find(ExpiredSessionCleanup.class).orElseThrow());
        assertSame(locks, capabilities.find(SessionLocks.class).orElseThrow());
        assertEquals(Optional.empty(), capabilities.find(ConditionalWrites.class));
    }

    @Test
    void noneHasNothingAndAddingLeavesTheOriginalAsItWas() {
        Capabilities none = Capabilities.none();
        Capabilities one = none.with(ExpiredSessionCleanup.class, cleanup);
        assertEquals(Optional.empty(), none.find(ExpiredSessionCleanup.class));
        assertTrue(one.find(ExpiredSessionCleanup.class).isPresent());
    }

    @Test
    void aCapabilityIsGivenOnce() {
        Capabilities one = Capabilities.none().with(ExpiredSessionCleanup.class, cleanup);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> one.with(ExpiredSessionCleanup.class, () -> 0));
        assertEquals(ExpiredSessionCleanup.class.getName() + " is already among the capabilities", error.getMessage());
        assertThrows(NullPointerException.class, () -> one.with(SessionLocks.class, null));
    }
}
