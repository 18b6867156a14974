package io.sessionkit.cli;

import io.sessionkit.SessionCapabilityException;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.ExpiredSessionCleanup;
import io.sessionkit.spi.ExpiryNotifications;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.PrincipalIndex;
import io.sessionkit.spi.SessionListing;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.TouchingLoad;
import java.util.List;

/**
 * The optional capabilities of a backend that {@code sessionkit check} reports, each with what
 * it gives and what its absence means.
 *
 * @param type        the capability interface
 * @param offers      what the backend can do with it
 * @param whenMissing what an operator should know when the backend lacks it
 */
record Capability(Class<?> type, String offers, String whenMissing) {

    static final List<Capability> ALL = List.of(
            new Capability(PrincipalIndex.class, "lists and revokes a user's sessions (SESSION_PRINCIPAL_KEY)",
                    "sessionsOf, revokeAll and `list --user` / `revoke --user` fail (exit 4)"),
            new Capability(SessionListing.class, "counts and lists every session",
                    "`count`, `list` and id prefixes in `show` / `revoke` fail (exit 4); give whole ids"),
            new Capability(ExpiredSessionCleanup.class, "deletes expired entries on demand (`purge-expired`)",
                    "the store drops expired entries by itself; `purge-expired` has nothing to do"),
            new Capability(ConditionalWrites.class, "saves only over the version it read (no lost updates)",
                    "overlapping requests of one session may overwrite each other's changes"),
            new Capability(SessionLocks.class, "locks a session per request (SESSION_LOCKING)",
                    "SESSION_LOCKING=true is refused at start-up"),
            new Capability(TouchingLoad.class, "reads and extends a session in one round trip",
                    "a read-only request that refreshes its session costs a second round trip"),
            new Capability(ExpiryReportingLoad.class, "tells an entry's expiry when reading it",
                    "SESSION_REFRESH_MIN_INTERVAL cannot save refreshes; `show` prints no expiry"),
            new Capability(ExpiryNotifications.class, "tells SessionListener.expired which sessions expired",
                    "listeners hear of no expiry"));

    /** The one line for a command that needed a capability the backend lacks. */
    static String missingMessage(SessionCapabilityException missing, String backendType) {
        return "the backend '" + (backendType != null ? backendType : missing.backend()) + "' cannot "
                + missing.operation() + ": it does not offer the capability " + missing.capability()
                + " (`sessionkit check` lists what it offers)";
    }
}
