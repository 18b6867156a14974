package io.sessionkit.spring.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.Session;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spring.boot.SessionKitAutoConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** session-micrometer on the class path and a MeterRegistry bean: the engine's work shows in the registry. */
class SessionKitMetricsAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SessionKitAutoConfiguration.class,
                    SessionKitMetricsAutoConfiguration.class))
            .withPropertyValues("sessionkit.type=null");

    /** A request with a cookie that names no session: the null backend's one operation, a load. */
    private static void loadOneSession(SessionInterface engine) {
        Session session = engine.open("A".repeat(43));
        assertTrue(session.isNew());
        engine.save(session);
    }

    @Test
    @DisplayName("the application's registry gets the backend timers")
    void metersInTheApplicationsRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertTrue(context.containsBean("sessionKitMetricsCustomizer"));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            loadOneSession(context.getBean(SessionInterface.class));
            assertNotNull(registry.find("sessionkit.backend.operation").tag("type", "null").timer(),
                    "a backend operation was timed: " + registry.getMeters().stream().map(m -> m.getId().toString()).toList());
            assertEquals(1, registry.find("sessionkit.backend.operation").timers().stream().mapToLong(t -> t.count()).sum());
        });
    }

    @Test
    @DisplayName("without a registry the engine is built as before; sessionkit.metrics.enabled=false or no Micrometer: no binding")
    void noRegistryOrSwitchedOff() {
        runner.run(context -> {
            loadOneSession(context.getBean(SessionInterface.class));
            assertEquals("null", context.getBean(SessionInterface.class).backendName());
        });
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("sessionkit.metrics.enabled=false")
                .run(context -> {
                    assertFalse(context.containsBean("sessionKitMetricsCustomizer"));
                    loadOneSession(context.getBean(SessionInterface.class));
                    assertNull(context.getBean(MeterRegistry.class).find("sessionkit.backend.operation").timer());
                });
        runner.withClassLoader(new FilteredClassLoader("io.sessionkit.micrometer"))
                .run(context -> assertFalse(context.containsBean("sessionKitMetricsCustomizer")));
    }
}
