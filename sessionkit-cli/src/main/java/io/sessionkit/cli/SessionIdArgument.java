package io.sessionkit.cli;

import io.sessionkit.SessionPage;
import io.sessionkit.SessionSummary;

/**
 * A session id as given on the command line: the whole id, or a prefix of it (at least
 * {@value #MIN_PREFIX} characters, as {@code list} prints them) that names exactly one live
 * session. A prefix is resolved by walking the store's listing, so it needs
 * {@code SessionListing}.
 */
final class SessionIdArgument {

    /** As many characters as {@code list} prints: short enough to read, long enough to be unique in practice. */
    static final int MIN_PREFIX = 8;
    private static final int PAGE = 1_000;

    private SessionIdArgument() {
    }

    /**
     * @return the whole id
     * @throws CliFailure {@link ExitCode#USAGE} for text that is no id or a prefix of several,
     *                    {@link ExitCode#NOT_FOUND} for a prefix of none
     */
    static String resolve(Store store, String given) {
        int idLength = (store.config().idLength() * 4 + 2) / 3;
        if (!given.matches("[A-Za-z0-9_-]+") || given.length() > idLength) {
            throw new CliFailure(ExitCode.USAGE, "'" + shown(given) + "' is not a session id: an id is " + idLength
                    + " base64url characters (A-Z a-z 0-9 - _), or give its first " + MIN_PREFIX + " or more as `list` prints them");
        }
        if (given.length() == idLength) {
            return given;
        }
        if (given.length() < MIN_PREFIX) {
            throw new CliFailure(ExitCode.USAGE, "'" + given + "' is too short to name a session: give at least "
                    + MIN_PREFIX + " characters of its id");
        }
        String found = null;
        String cursor = null;
        do {
            SessionPage page = store.engine().list(cursor, PAGE);
            for (SessionSummary session : page.sessions()) {
                if (session.id().startsWith(given)) {
                    if (found != null && !found.equals(session.id())) {
                        throw new CliFailure(ExitCode.USAGE, "'" + given + "' starts the ids of several sessions: give more"
                                + " characters (`list --full-ids` prints whole ids)");
                    }
                    found = session.id();
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        if (found == null) {
            throw new CliFailure(ExitCode.NOT_FOUND, "no session's id starts with '" + given + "'");
        }
        return found;
    }

    /** The first characters of an id, as the tool prints ids unless asked for whole ones. */
    static String prefix(String id) {
        return id.length() <= MIN_PREFIX ? id : id.substring(0, MIN_PREFIX);
    }

    /** Text from the command line in a message: never a whole id, which is a credential. */
    private static String shown(String given) {
        return given.length() <= MIN_PREFIX + 4 ? given : given.substring(0, MIN_PREFIX) + "...";
    }
}
