package io.sessionkit.spring.boot;

import io.sessionkit.SessionListener;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.servlet.SessionKitFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;

/**
 * Serves a servlet application's sessions with SessionKit: a {@link SessionInterface} bean
 * configured from the Spring {@code Environment} ({@link EnvironmentSettings}), and a
 * {@link SessionKitFilter} on it registered for every request, ahead of Spring Security's filter
 * chain. The application's {@link SessionListener} beans hear the engine's events, and its
 * {@link HttpSessionListener} and {@link HttpSessionIdListener} beans hear SessionKit's sessions
 * through the filter: Boot registers such beans with the servlet container, which calls them only
 * for its own sessions, and requests behind the filter never use those.
 *
 * <p>Backs off when SessionKit is switched off ({@code sessionkit.enabled=false}), when the
 * application registers a {@code SessionKitFilter} itself (as a bean or in a
 * {@code FilterRegistrationBean}), and when it uses Spring Session (a
 * {@code SessionRepositoryFilter} bean): one application, one session mechanism. An application's
 * own {@code SessionInterface} bean replaces the one built here, and is then used by the filter.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
        "org.springframework.boot.autoconfigure.session.SessionAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SessionKitFilter.class)
@ConditionalOnBooleanProperty(name = "sessionkit.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(type = SessionKitAutoConfiguration.SPRING_SESSION_FILTER)
@ConditionalOnMissingFilterBean(SessionKitFilter.class)
@EnableConfigurationProperties(SessionKitProperties.class)
public class SessionKitAutoConfiguration {

    /**
     * The order of the filter's registration: Spring Session's
     * {@code SessionRepositoryFilter.DEFAULT_ORDER}, far ahead of Spring Security's filter chain
     * ({@code -100}) and of every filter that might use the session.
     */
    public static final int FILTER_ORDER = Integer.MIN_VALUE + 50;

    /** Spring Session's filter, named so that Spring Session need not be on the class path. */
    static final String SPRING_SESSION_FILTER = "org.springframework.session.web.http.SessionRepositoryFilter";

    /**
     * @param environment the application's environment
     * @param beans       the application's beans, searched for a store client to share
     * @return the configuration: {@code SESSION_*} keys over {@code sessionkit.*} properties over
     *         SessionKit's defaults, with the application's store client if it has one
     */
    @Bean
    @ConditionalOnMissingBean
    public SessionConfig sessionKitConfig(Environment environment, ListableBeanFactory beans) {
        SessionConfig config = SessionConfig.builder().fromMap(EnvironmentSettings.read(environment)).build();
        return ApplicationClients.find(config, beans)
                .map(client -> config.toBuilder().client(client).build())
                .orElse(config);
    }

    /**
     * @param config      the configuration
     * @param listeners   the application's session listeners, added in order, after those found
     *                    with {@code ServiceLoader}
     * @param customizers applied to the builder in order before the engine is built
     * @return the engine, closed with the application context (a client bean handed in stays open)
     */
    @Bean
    @ConditionalOnMissingBean
    public SessionInterface sessionKitInterface(SessionConfig config, ObjectProvider<SessionListener> listeners,
                                                ObjectProvider<SessionInterfaceBuilderCustomizer> customizers) {
        SessionInterface.Builder builder = SessionInterface.builder(config);
        for (SessionListener listener : listeners.orderedStream().toList()) {
            builder = builder.listener(listener);
        }
        for (SessionInterfaceBuilderCustomizer customizer : customizers.orderedStream().toList()) {
            builder = customizer.customize(builder);
        }
        return builder.build();
    }

    /**
     * @param engine           the engine
     * @param sessionListeners the application's servlet session listeners
     * @param idListeners      the application's servlet session id listeners
     * @return the filter, telling those listeners of SessionKit's sessions, registered for every
     *         path and for requests, forwards, async dispatches and error pages, at {@link #FILTER_ORDER}
     */
    @Bean
    public FilterRegistrationBean<SessionKitFilter> sessionKitFilterRegistration(SessionInterface engine,
            ObjectProvider<HttpSessionListener> sessionListeners, ObjectProvider<HttpSessionIdListener> idListeners) {
        SessionKitFilter filter = new SessionKitFilter(engine);
        servletListeners(sessionListeners, idListeners).forEach(filter::addListener);
        FilterRegistrationBean<SessionKitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("sessionKitFilter");
        registration.setOrder(FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC,
                DispatcherType.ERROR);
        return registration;
    }

    /** Each bean once, in order, though it be both kinds: the filter would tell it twice. */
    private static List<EventListener> servletListeners(ObjectProvider<HttpSessionListener> sessionListeners,
                                                        ObjectProvider<HttpSessionIdListener> idListeners) {
        List<EventListener> listeners = new ArrayList<>(sessionListeners.orderedStream().toList());
        idListeners.orderedStream()
                .filter(listener -> listeners.stream().noneMatch(known -> known == listener))
                .forEach(listeners::add);
        return listeners;
    }
}
