package io.sessionkit.spring.boot.security;

import io.sessionkit.core.SessionInterface;
import io.sessionkit.spring.boot.SessionKitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;

/**
 * Makes Spring Security keep its state in a SessionKit session: every {@link HttpSecurity} (Spring
 * Security 7 applies {@code Customizer<HttpSecurity>} beans to each one before the application's
 * own configuration, which can still override any of it) stores the security context with
 * {@link JsonSecurityContextRepository}, the CSRF token with {@link JsonCsrfTokenRepository}, and
 * the request to return to after login in a cookie ({@link CookieRequestCache}) instead of a
 * session object. Off with {@code sessionkit.spring-security.enabled=false}.
 */
@AutoConfiguration(after = SessionKitAutoConfiguration.class)
@ConditionalOnClass({HttpSecurity.class, Customizer.class})
@ConditionalOnBean(SessionInterface.class)
@ConditionalOnBooleanProperty(name = "sessionkit.spring-security.enabled", matchIfMissing = true)
public class SessionKitSecurityAutoConfiguration {

    /**
     * @return the customizer that puts Spring Security's session state in JSON-friendly form
     */
    @Bean
    public Customizer<HttpSecurity> sessionKitHttpSecurityCustomizer() {
        return http -> {
            try {
                http.securityContext(context -> context.securityContextRepository(new DelegatingSecurityContextRepository(
                                new RequestAttributeSecurityContextRepository(), new JsonSecurityContextRepository())))
                        .csrf(csrf -> csrf.csrfTokenRepository(new JsonCsrfTokenRepository()))
                        .requestCache(cache -> cache.requestCache(new CookieRequestCache()));
            } catch (Exception e) {
                throw new IllegalStateException("could not set up Spring Security's session state for SessionKit", e);
            }
        };
    }
}
