package io.sessionkit.spring.boot.app;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small application behind Spring Security's form login: {@code /me} shows the logged-in user,
 * the id of the session the application sees and the CSRF token a form would post, everything else but the login page needs a login.
 */
@SpringBootApplication
@RestController
public class LoginApplication {

    /** The one user's name. */
    public static final String USER = "alice";
    /** Her password. */
    public static final String PASSWORD = "wonderland";

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build());
    }

    @GetMapping("/me")
    String me(Authentication authentication, HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return "user=" + authentication.getName() + " roles=" + authentication.getAuthorities()
                + " session=" + request.getSession().getId() + " csrf=" + csrf.getToken();
    }
}
