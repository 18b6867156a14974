package io.sessionkit.spring.boot.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the authenticated user in the HTTP session as plain JSON values, under Spring Security's
 * own attribute name: SessionKit stores sessions as JSON without type information, so the
 * {@code SecurityContext} object that {@link HttpSessionSecurityContextRepository} stores would come
 * back as a map, and the user would be logged out on the next request.
 *
 * <p>What is kept is the user's name and authorities; an anonymous or unauthenticated context
 * removes the attribute, as Spring Security's own repository keeps nothing for it. What is
 * restored is an authenticated {@link UsernamePasswordAuthenticationToken} whose principal is a
 * {@link User} with that name, no password and those authorities. An application whose {@link Authentication} carries more (an
 * OAuth2 token, a principal of its own type) sets its own repository with
 * {@code http.securityContext(c -> c.securityContextRepository(...))}. Thread-safe.
 */
public final class JsonSecurityContextRepository implements SecurityContextRepository {

    /** The session attribute: Spring Security's, so that other code finding it there keeps working. */
    static final String ATTRIBUTE = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;
    private static final String NAME = "name";
    private static final String AUTHORITIES = "authorities";

    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    @Override
    @Deprecated
    public SecurityContext loadContext(HttpRequestResponseHolder requestResponseHolder) {
        SecurityContext context = read(requestResponseHolder.getRequest());
        return context != null ? context : holder.createEmptyContext();
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return new DeferredSecurityContext() {
            private SecurityContext context;
            private boolean generated;

            @Override
            public SecurityContext get() {
                if (context == null) {
                    context = read(request);
                    if (context == null) {
                        context = holder.createEmptyContext();
                        generated = true;
                    }
                }
                return context;
            }

            @Override
            public boolean isGenerated() {
                get();
                return generated;
            }
        };
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        Authentication authentication = context.getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || trust.isAnonymous(authentication)) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(ATTRIBUTE);
            }
            return;
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put(NAME, authentication.getName());
        stored.put(AUTHORITIES, AuthorityUtils.authorityListToSet(authentication.getAuthorities()).stream().sorted().toList());
        request.getSession().setAttribute(ATTRIBUTE, stored);
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(ATTRIBUTE) instanceof Map;
    }

    private SecurityContext read(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof Map<?, ?> stored)
                || !(stored.get(NAME) instanceof String name) || !(stored.get(AUTHORITIES) instanceof List<?> names)) {
            return null;
        }
        List<GrantedAuthority> authorities = AuthorityUtils.createAuthorityList(names.stream().map(String::valueOf).toList());
        User principal = new User(name, "", authorities);
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities));
        return context;
    }
}
