package io.sessionkit.spring.boot.health;

import io.sessionkit.core.SessionInterface;
import io.sessionkit.spring.boot.SessionKitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code sessionkit} health indicator ({@link SessionStoreHealthIndicator}) when Spring
 * Boot's health support is on the class path and a {@link SessionInterface} bean exists. Off with
 * {@code management.health.sessionkit.enabled=false}.
 */
@AutoConfiguration(after = SessionKitAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SessionInterface.class)
@ConditionalOnEnabledHealthIndicator("sessionkit")
public class SessionKitHealthAutoConfiguration {

    /**
     * @param engine the application's engine
     * @return the indicator, named {@code sessionkit} in the health endpoint
     */
    @Bean
    @ConditionalOnMissingBean(name = "sessionkitHealthIndicator")
    public SessionStoreHealthIndicator sessionkitHealthIndicator(SessionInterface engine) {
        return new SessionStoreHealthIndicator(engine);
    }
}
