package io.sessionkit.spring.boot.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.csrf.CsrfToken;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spring Security's state as the values SessionKit's JSON keeps: strings, lists and maps only. */
class JsonRepositoriesTest {

    private final JsonSecurityContextRepository contexts = new JsonSecurityContextRepository();
    private final JsonCsrfTokenRepository csrf = new JsonCsrfTokenRepository();
    private final MockHttpServletRequest request = new MockHttpServletRequest();
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Test
    @DisplayName("a login is kept as its name and sorted authorities, and comes back authenticated with a UserDetails principal")
    void securityContextRoundTrip() {
        Authentication login = UsernamePasswordAuthenticationToken.authenticated("alice", "secret",
                AuthorityUtils.createAuthorityList("ROLE_USER", "ROLE_ADMIN"));
        contexts.saveContext(new SecurityContextImpl(login), request, response);

        assertEquals(Map.of("name", "alice", "authorities", List.of("ROLE_ADMIN", "ROLE_USER")),
                request.getSession().getAttribute(JsonSecurityContextRepository.ATTRIBUTE));
        assertTrue(contexts.containsContext(request));
        SecurityContext loaded = contexts.loadDeferredContext(request).get();
        Authentication restored = loaded.getAuthentication();
        assertTrue(restored.isAuthenticated());
        assertEquals("alice", restored.getName());
        assertNull(restored.getCredentials());
        assertEquals("alice", ((UserDetails) restored.getPrincipal()).getUsername());
        assertEquals(List.of("ROLE_ADMIN", "ROLE_USER"), AuthorityUtils.authorityListToSet(restored.getAuthorities())
                .stream().sorted().toList());
    }

    @Test
    @DisplayName("an anonymous context removes the stored login; no session means a generated empty context")
    void anonymousAndAbsent() {
        assertTrue(contexts.loadDeferredContext(request).isGenerated());
        assertNull(request.getSession(false));

        contexts.saveContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("alice", null,
                AuthorityUtils.NO_AUTHORITIES)), request, response);
        contexts.saveContext(new SecurityContextImpl(new AnonymousAuthenticationToken("key", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))), request, response);

        assertFalse(contexts.containsContext(request));
        assertTrue(contexts.loadDeferredContext(request).isGenerated());
    }

    @Test
    @DisplayName("the CSRF token is kept as three strings and comes back equal; saving none removes it")
    void csrfRoundTrip() {
        CsrfToken token = csrf.generateToken(request);
        csrf.saveToken(token, request, response);

        Object stored = request.getSession().getAttribute(JsonCsrfTokenRepository.ATTRIBUTE);
        assertEquals(Map.of("headerName", "X-CSRF-TOKEN", "parameterName", "_csrf", "token", token.getToken()), stored);
        CsrfToken loaded = csrf.loadToken(request);
        assertEquals(token.getToken(), loaded.getToken());
        assertEquals(token.getHeaderName(), loaded.getHeaderName());
        assertEquals(token.getParameterName(), loaded.getParameterName());

        csrf.saveToken(null, request, response);
        assertNull(csrf.loadToken(request));
    }
}
