package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads SessionKit's configuration out of the Spring {@link Environment}, in one order, each
 * source overriding the one before:
 * <ol>
 *   <li>SessionKit's defaults;</li>
 *   <li>{@code sessionkit.*} properties, with Spring's relaxed binding ({@code sessionkit.cookie.name},
 *       {@code SESSIONKIT_COOKIE_NAME}), mapped to keys by {@link SessionKeyNames};</li>
 *   <li>SessionKit's own keys set by name ({@code SESSION_COOKIE_NAME}, {@code SECRET_KEY}, ...) in
 *       any property source of the Environment.</li>
 * </ol>
 * Environment variables and system properties reach SessionKit only through the Environment, so
 * Spring's order among its sources (command line over system properties over environment
 * variables over {@code application.properties}) holds within each level.
 */
final class EnvironmentSettings {

    private EnvironmentSettings() {
    }

    /**
     * @param environment the application's environment
     * @return every SessionKit key set there, by key
     */
    static Map<String, Object> read(Environment environment) {
        Map<String, Object> settings = new TreeMap<>();
        Binder.get(environment).bind("sessionkit", Bindable.mapOf(String.class, String.class))
                .ifBound(properties -> properties.forEach((name, value) ->
                        SessionKeyNames.keyFor(name).ifPresent(key -> settings.put(key, value))));
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        if (SessionConfig.isSessionKey(name)) {
                            // The Environment's answer, not this source's: the first source that has it wins.
                            settings.put(name, environment.getProperty(name));
                        }
                    }
                }
            }
        }
        return settings;
    }
}
