package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.Session;
import io.sessionkit.spi.ListedEntry;
import io.sessionkit.spi.PrincipalIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The principal the engine reports to the index as "previous" is the one the request read, not
 * the one the application has just put in the same session map.
 */
class PrincipalChangeTest {

    /** Records every assign; lists nothing. */
    private static final class RecordingIndex implements PrincipalIndex {
        final List<String> assigned = new ArrayList<>();

        @Override
        public void assign(String key, String previous, String principal, Duration timeToLive) {
            assigned.add(previous + " -> " + principal);
        }

        @Override
        public List<ListedEntry> entriesOf(String principal) {
            return List.of();
        }

        @Override
        public boolean keptInEntry() {
            return true;
        }
    }

    private static final class IndexedBackend extends CountingMemoryBackend.Versioned {
        final RecordingIndex index = new RecordingIndex();

        @Override
        public <C> Optional<C> capability(Class<C> type) {
            return type == PrincipalIndex.class ? Optional.of(type.cast(index)) : super.capability(type);
        }
    }

    private static SessionInterface engine(IndexedBackend backend) {
        return SessionInterface.create(SessionConfig.builder().set(ConfigKeys.SESSION_PRINCIPAL_KEY, "user").build(), backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", ""})
    void aChangeOfUserIsReportedWithTheUserThatWasRead(String next) {
        IndexedBackend backend = new IndexedBackend();
        SessionInterface sessions = engine(backend);
        Session login = sessions.open(null);
        login.put("user", "alice");
        login.put("cart", "apple");
        sessions.save(login);

        Session change = sessions.open(login.id());
        if (next.isEmpty()) {
            change.remove("user");
        } else {
            change.put("user", next);
        }
        sessions.save(change);

        assertEquals(List.of("null -> alice", "alice -> " + (next.isEmpty() ? null : next)), backend.index.assigned);
    }

    @Test
    void aSaveThatKeepsTheUserReportsNothing() {
        IndexedBackend backend = new IndexedBackend();
        SessionInterface sessions = engine(backend);
        Session login = sessions.open(null);
        login.put("user", "alice");
        sessions.save(login);
        Session again = sessions.open(login.id());
        again.put("cart", "apple");
        sessions.save(again);
        assertEquals(List.of("null -> alice"), backend.index.assigned);
    }
}
