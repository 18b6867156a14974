package io.sessionkit.spring.boot.health;

import io.sessionkit.Session;
import io.sessionkit.SessionException;
import io.sessionkit.core.HmacSessionIdSigner;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.Redaction;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reports whether the session store answers: it loads a random id that no session has, through
 * the engine, exactly as a request with an unknown session cookie would (so a signed id is signed
 * first), and reports UP when the store answered that it has no such session, DOWN with the
 * backend type and the failure's message, ids cut short, when it did not. Thread-safe.
 */
public final class SessionStoreHealthIndicator implements HealthIndicator {

    private static final Pattern URL_CREDENTIALS = Pattern.compile("://[^/@\\s]*@");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SessionInterface engine;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param engine the application's engine
     */
    public SessionStoreHealthIndicator(SessionInterface engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        String id = randomId();
        String cookieValue = engine.config().useSigner() ? HmacSessionIdSigner.from(engine.config()).sign(id) : id;
        Session session = engine.openWithoutLock(List.of(cookieValue));
        try {
            session.isEmpty();
            return Health.up().withDetail("type", engine.backendName()).build();
        } catch (SessionException e) {
            return Health.down().withDetail("type", engine.backendName())
                    .withDetail("error", redacted(e, id)).build();
        } finally {
            engine.release(session);
        }
    }

    /** The failure for the health endpoint: ids cut short, and no user or password of a URL a client quoted. */
    static String redacted(Exception failure, String id) {
        String text = failure.getClass().getName() + ": " + failure.getMessage();
        return URL_CREDENTIALS.matcher(Redaction.message(text, id)).replaceAll("://***@");
    }

    private String randomId() {
        byte[] bytes = new byte[engine.config().idLength()];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
