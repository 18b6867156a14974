package io.sessionkit.spring.boot;

import io.sessionkit.spring.boot.app.LoginApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import java.util.Map;
import java.util.function.Consumer;

/** The test application started on a free port with the given properties, and closed as a whole, as a restart does. */
final class RunningApplication implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningApplication(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static RunningApplication start(Map<String, Object> properties) {
        return start(properties, beans -> { });
    }

    static RunningApplication start(Map<String, Object> properties, Consumer<GenericApplicationContext> extraBeans) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(LoginApplication.class)
                .properties(Map.of("server.port", "0", "spring.main.banner-mode", "off"))
                .properties(properties)
                .initializers(context -> extraBeans.accept((GenericApplicationContext) context));
        return new RunningApplication(builder.run());
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
