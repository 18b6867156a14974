package io.sessionkit.spring.boot.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

import java.util.Map;
import java.util.UUID;

/**
 * Keeps the CSRF token in the HTTP session as plain JSON values, with the names and semantics of
 * Spring Security's {@code HttpSessionCsrfTokenRepository}: that one stores a token object, which
 * SessionKit's JSON (no type information) would give back as a map. Thread-safe.
 */
public final class JsonCsrfTokenRepository implements CsrfTokenRepository {

    /** The session attribute: the one {@code HttpSessionCsrfTokenRepository} uses. */
    static final String ATTRIBUTE = "org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository.CSRF_TOKEN";
    private static final String HEADER_NAME = "X-CSRF-TOKEN";
    private static final String PARAMETER_NAME = "_csrf";

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return new DefaultCsrfToken(HEADER_NAME, PARAMETER_NAME, UUID.randomUUID().toString());
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        if (token == null) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(ATTRIBUTE);
            }
            return;
        }
        request.getSession().setAttribute(ATTRIBUTE, Map.of("headerName", token.getHeaderName(),
                "parameterName", token.getParameterName(), "token", token.getToken()));
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof Map<?, ?> stored)
                || !(stored.get("headerName") instanceof String header)
                || !(stored.get("parameterName") instanceof String parameter)
                || !(stored.get("token") instanceof String token)) {
            return null;
        }
        return new DefaultCsrfToken(header, parameter, token);
    }
}
