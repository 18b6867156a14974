package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.servlet.SessionKitFilter;
import jakarta.servlet.DispatcherType;
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

/**
 * Serves a servlet application's sessions with SessionKit: a {@link SessionInterface} bean
 * configured from the Spring {@code Environment} ({@link EnvironmentSettings}), and a
 * {@link SessionKitFilter} on it registered for every request, ahead of Spring Security's filter
 * chain.
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
     * @param customizers applied to the builder in order before the engine is built
     * @return the engine, closed with the application context (a client bean handed in stays open)
     */
    @Bean
    @ConditionalOnMissingBean
    public SessionInterface sessionKitInterface(SessionConfig config,
                                                ObjectProvider<SessionInterfaceBuilderCustomizer> customizers) {
        SessionInterface.Builder builder = SessionInterface.builder(config);
        for (SessionInterfaceBuilderCustomizer customizer : customizers.orderedStream().toList()) {
            builder = customizer.customize(builder);
        }
        return builder.build();
    }

    /**
     * @param engine the engine
     * @return the filter's registration for every path and for requests, forwards, async
     *         dispatches and error pages, at {@link #FILTER_ORDER}
     */
    @Bean
    public FilterRegistrationBean<SessionKitFilter> sessionKitFilterRegistration(SessionInterface engine) {
        FilterRegistrationBean<SessionKitFilter> registration = new FilterRegistrationBean<>(new SessionKitFilter(engine));
        registration.setName("sessionKitFilter");
        registration.setOrder(FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC,
                DispatcherType.ERROR);
        return registration;
    }
}
