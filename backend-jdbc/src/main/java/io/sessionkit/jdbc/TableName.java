package io.sessionkit.jdbc;

import java.util.regex.Pattern;

/**
 * The name of the session table as it is written into SQL: a plain identifier, optionally
 * qualified by a schema (or, on MariaDB, a database), such as {@code sessions} or
 * {@code app.sessions}.
 *
 * <p>The name is spliced into statements, not bound as a parameter, so only letters, digits
 * and underscores are accepted, starting with a letter or an underscore; nothing that could
 * end or extend a statement gets through. It is written unquoted, so the database applies its
 * usual case rules (PostgreSQL folds it to lower case).
 *
 * @param schema the qualifier before the dot, or {@code null}
 * @param name   the table's own name
 */
record TableName(String schema, String name) {

    /** Leaves room for the {@code _expires_at} suffix of the index within the 63-character limit of PostgreSQL. */
    static final int MAX_PART_LENGTH = 48;

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_PART_LENGTH - 1) + "}");

    /** What {@link #parse} accepts, for error messages. */
    static final String EXPECTATION = "a plain SQL identifier of at most " + MAX_PART_LENGTH
            + " letters, digits or underscores, starting with a letter or underscore,"
            + " optionally qualified by a schema such as app.sessions";

    /**
     * @param text the configured name
     * @return the name, or {@code null} when {@code text} is not a plain identifier with an
     *         optional schema qualifier
     */
    static TableName parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2) {
            return null;
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return null;
            }
        }
        return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, parts[0]);
    }

    /**
     * @return the name as written in SQL, with its qualifier if any
     */
    String qualified() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
