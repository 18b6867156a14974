package io.sessionkit;

import java.util.List;

/**
 * The configuration is invalid. Raised at start-up with every problem found at once, each
 * naming the key, the bad value and what is allowed, for example
 * {@code SESSION_FILE_MODE was '999' but it must be an octal file mode such as 0600}.
 * Secret values are never included.
 */
public class SessionConfigException extends SessionException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param problems one sentence per invalid or missing value; must not be empty
     */
    public SessionConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * @param problem the single problem found
     */
    public SessionConfigException(String problem) {
        this(List.of(problem));
    }

    /**
     * @param problem the single problem found
     * @param cause   the failure behind it
     */
    public SessionConfigException(String problem, Throwable cause) {
        super(format(List.of(problem)), cause);
        this.problems = List.of(problem);
    }

    /**
     * @return each problem found, one sentence each
     */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid session configuration: " + problems.get(0);
        }
        StringBuilder message = new StringBuilder("Invalid session configuration (")
                .append(problems.size()).append(" problems):");
        for (String problem : problems) {
            message.append("\n  - ").append(problem);
        }
        return message.toString();
    }
}
