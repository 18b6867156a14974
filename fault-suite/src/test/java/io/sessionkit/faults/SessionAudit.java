package io.sessionkit.faults;

import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads every client's session straight from the store after a run, past the engine (which
 * would turn a missing or undecodable record into a fresh session), and compares its counter with
 * what the client last had acknowledged.
 *
 * @param audited          sessions looked at: every client that had a write acknowledged
 * @param matching         sessions whose counter is the last acknowledged value
 * @param inFlightApplied  sessions whose counter is higher, within the writes answered 503 after
 *                         the last acknowledged one: such a write reached the store and only its
 *                         answer was lost, which is allowed
 * @param missing          sessions no longer in the store
 * @param corrupted        sessions whose bytes do not decode, or carry no counter
 * @param wrongValue       sessions whose counter is below the last acknowledged value (an
 *                         acknowledged write was lost) or above anything written
 * @param refusedNoteKept  sessions that hold a note although every note sent was refused
 * @param findings         a line per session that is not matching or in-flight-applied
 */
record SessionAudit(int audited, int matching, int inFlightApplied, int missing, int corrupted, int wrongValue,
                    int refusedNoteKept, List<String> findings) {

    /**
     * @param store     a backend on the same store as the application's, opened for the audit
     * @param keyPrefix {@code SESSION_KEY_PREFIX}
     * @param clients   the clients, stopped
     * @return what was found
     */
    static SessionAudit of(SessionBackend store, String keyPrefix, List<? extends CountingClient> clients) {
        JsonSessionSerializer serializer = new JsonSessionSerializer();
        int audited = 0;
        int matching = 0;
        int inFlightApplied = 0;
        int missing = 0;
        int corrupted = 0;
        int wrongValue = 0;
        int refusedNoteKept = 0;
        List<String> findings = new ArrayList<>();
        for (CountingClient client : clients) {
            if (client.sessionId() == null) {
                continue;
            }
            audited++;
            byte[] bytes = store.load(keyPrefix + client.sessionId());
            if (bytes == null) {
                missing++;
                findings.add(client.name() + ": session missing; " + client.acknowledged() + " writes had been acknowledged");
                continue;
            }
            SessionRecord record;
            try {
                record = serializer.deserialize(bytes);
            } catch (RuntimeException e) {
                corrupted++;
                findings.add(client.name() + ": session does not decode (" + e.getMessage() + ")");
                continue;
            }
            if (!(record.attributes().get("count") instanceof Number count)) {
                corrupted++;
                findings.add(client.name() + ": session has no count: " + record.attributes());
                continue;
            }
            if (record.attributes().containsKey("note")) {
                refusedNoteKept++;
                findings.add(client.name() + ": a refused note was stored");
            }
            int stored = count.intValue();
            int acknowledged = client.acknowledged();
            if (stored == acknowledged) {
                matching++;
            } else if (stored > acknowledged && stored <= acknowledged + client.unacknowledgedWrites()) {
                inFlightApplied++;
            } else {
                wrongValue++;
                findings.add(client.name() + ": stored count " + stored + ", last acknowledged " + acknowledged
                        + ", unacknowledged writes after it " + client.unacknowledgedWrites());
            }
        }
        return new SessionAudit(audited, matching, inFlightApplied, missing, corrupted, wrongValue, refusedNoteKept,
                List.copyOf(findings));
    }

    /** @return sessions whose acknowledged state was lost: missing, or with a wrong counter */
    int lost() {
        return missing + wrongValue;
    }
}
