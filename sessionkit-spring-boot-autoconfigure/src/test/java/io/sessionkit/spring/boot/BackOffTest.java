package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.servlet.SessionKitFilter;
import io.sessionkit.spring.boot.health.SessionKitHealthAutoConfiguration;
import io.sessionkit.spring.boot.health.SessionStoreHealthIndicator;
import io.sessionkit.spring.boot.security.SessionKitSecurityAutoConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the auto-configuration steps aside, and what an application can replace or add. */
class BackOffTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SessionKitAutoConfiguration.class,
                    SessionKitSecurityAutoConfiguration.class, SessionKitHealthAutoConfiguration.class))
            .withPropertyValues("sessionkit.type=null");

    @Test
    @DisplayName("by default: the engine, the filter's registration and the health indicator")
    void registersByDefault() {
        runner.run(context -> {
            assertEquals(1, context.getBeansOfType(SessionInterface.class).size());
            assertEquals("null", context.getBean(SessionInterface.class).backendName());
            assertTrue(context.getBean("sessionKitFilterRegistration", FilterRegistrationBean.class).getFilter()
                    instanceof SessionKitFilter);
            assertEquals(1, context.getBeansOfType(SessionStoreHealthIndicator.class).size());
        });
    }

    @Test
    @DisplayName("with Spring Security present, its session state customizer; off with sessionkit.spring-security.enabled=false")
    void springSecuritySupport() {
        runner.run(context -> assertTrue(context.containsBean("sessionKitHttpSecurityCustomizer")));
        runner.withPropertyValues("sessionkit.spring-security.enabled=false").run(context -> {
            assertFalse(context.containsBean("sessionKitHttpSecurityCustomizer"));
            assertTrue(context.containsBean("sessionKitFilterRegistration"));
        });
    }

    @Test
    @DisplayName("management.health.sessionkit.enabled=false: no health indicator, sessions still served")
    void healthIndicatorOff() {
        runner.withPropertyValues("management.health.sessionkit.enabled=false").run(context -> {
            assertTrue(context.getBeansOfType(SessionStoreHealthIndicator.class).isEmpty());
            assertTrue(context.containsBean("sessionKitFilterRegistration"));
        });
    }

    @Test
    @DisplayName("sessionkit.enabled=false: nothing")
    void disabled() {
        runner.withPropertyValues("sessionkit.enabled=false").run(context -> {
            assertTrue(context.getBeansOfType(SessionInterface.class).isEmpty());
            assertTrue(context.getBeansOfType(FilterRegistrationBean.class).isEmpty());
            assertTrue(context.getBeansOfType(SessionStoreHealthIndicator.class).isEmpty());
        });
    }

    @Test
    @DisplayName("Spring Session's SessionRepositoryFilter bean: nothing of SessionKit")
    void springSession() {
        runner.withBean(SessionRepositoryFilter.class, () -> new SessionRepositoryFilter<>(new MapSessionRepository(new ConcurrentHashMap<>())))
                .run(context -> {
                    assertTrue(context.getBeansOfType(SessionInterface.class).isEmpty());
                    assertTrue(context.getBeansOfType(FilterRegistrationBean.class).isEmpty());
                });
    }

    @Test
    @DisplayName("the application's own SessionKitFilter bean: ours is not registered")
    void ownFilterBean() {
        SessionKitFilter own = new SessionKitFilter(SessionConfig.builder().set("SESSION_TYPE", "null").build());
        runner.withBean(SessionKitFilter.class, () -> own).run(context -> {
            assertTrue(context.getBeansOfType(FilterRegistrationBean.class).isEmpty());
            assertSame(own, context.getBean(SessionKitFilter.class));
        });
    }

    @Test
    @DisplayName("the application's own FilterRegistrationBean of a SessionKitFilter: ours is not registered")
    void ownFilterRegistration() {
        runner.withUserConfiguration(OwnRegistration.class).run(context -> {
            assertEquals(1, context.getBeansOfType(FilterRegistrationBean.class).size());
            assertTrue(context.containsBean("ownRegistration"));
            assertTrue(context.getBeansOfType(SessionInterface.class).isEmpty());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistration {
        @Bean
        FilterRegistrationBean<SessionKitFilter> ownRegistration() {
            return new FilterRegistrationBean<>(new SessionKitFilter(SessionConfig.builder().set("SESSION_TYPE", "null").build()));
        }
    }

    @Test
    @DisplayName("the application's own SessionInterface bean is the one the filter serves")
    void ownEngine() {
        SessionInterface own = SessionInterface.create(SessionConfig.builder().set("SESSION_TYPE", "null").build());
        runner.withBean(SessionInterface.class, () -> own).run(context -> {
            assertSame(own, context.getBean(SessionInterface.class));
            assertTrue(context.containsBean("sessionKitFilterRegistration"));
        });
    }

    @Test
    @DisplayName("every SessionInterfaceBuilderCustomizer bean is applied to the builder, once")
    void customizers() {
        AtomicInteger calls = new AtomicInteger();
        runner.withBean("first", SessionInterfaceBuilderCustomizer.class, () -> builder -> {
                    calls.incrementAndGet();
                    return builder;
                })
                .withBean("second", SessionInterfaceBuilderCustomizer.class, () -> builder -> {
                    calls.incrementAndGet();
                    return builder;
                })
                .run(context -> {
                    context.getBean(SessionInterface.class);
                    assertEquals(2, calls.get());
                });
    }

    @Test
    @DisplayName("a SessionKit configuration error stops the start-up with SessionKit's message")
    void configurationError() {
        runner.withPropertyValues("sessionkit.cookie.samesite=sometimes").run(context -> {
            Throwable failure = context.getStartupFailure();
            while (failure != null && !(failure instanceof io.sessionkit.SessionConfigException)) {
                failure = failure.getCause();
            }
            assertTrue(failure != null && failure.getMessage().contains("SESSION_COOKIE_SAMESITE"),
                    String.valueOf(context.getStartupFailure()));
        });
    }
}
