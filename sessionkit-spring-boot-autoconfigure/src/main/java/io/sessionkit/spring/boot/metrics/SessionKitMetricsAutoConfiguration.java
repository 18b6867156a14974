package io.sessionkit.spring.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.spring.boot.SessionInterfaceBuilderCustomizer;
import io.sessionkit.spring.boot.SessionKitAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Measures SessionKit with {@code session-micrometer} when it and Micrometer are on the class
 * path: the engine's backend operations, session events and sizes are recorded in the
 * application's {@link MeterRegistry}, and so shown by the Actuator's {@code metrics} and
 * {@code prometheus} endpoints. Off with {@code sessionkit.metrics.enabled=false}.
 */
@AutoConfiguration(before = SessionKitAutoConfiguration.class)
@ConditionalOnClass({SessionKitMetrics.class, MeterRegistry.class})
@ConditionalOnBooleanProperty(name = "sessionkit.metrics.enabled", matchIfMissing = true)
public class SessionKitMetricsAutoConfiguration {

    /**
     * Looks the registry up when the engine is built, not when this configuration is read, so
     * that the order in which Boot configures its registries does not matter.
     *
     * @param registry the application's meter registry, if it has exactly one (a composite
     *                 registry counts as the one)
     * @return the customizer that applies {@link SessionKitMetrics} to the engine's builder
     */
    @Bean
    @ConditionalOnMissingBean(name = "sessionKitMetricsCustomizer")
    public SessionInterfaceBuilderCustomizer sessionKitMetricsCustomizer(ObjectProvider<MeterRegistry> registry) {
        return builder -> {
            MeterRegistry available = registry.getIfUnique();
            return available == null ? builder : new SessionKitMetrics(available).applyTo(builder);
        };
    }
}
