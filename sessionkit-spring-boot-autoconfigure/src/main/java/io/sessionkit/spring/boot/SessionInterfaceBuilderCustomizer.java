package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionInterface;

/**
 * A bean that adjusts the engine before the auto-configuration builds it: sets a serializer or a
 * signer, or wraps what the builder offers (a metrics binding, say). Every bean of this type is
 * applied, in {@link org.springframework.core.annotation.Order @Order} /
 * {@link org.springframework.core.Ordered} order, to the {@link SessionInterface.Builder} of the
 * {@link SessionInterface} bean; an application that defines its own {@code SessionInterface}
 * bean gets none of this.
 */
@FunctionalInterface
public interface SessionInterfaceBuilderCustomizer {

    /**
     * @param builder the builder of the application's engine, holding the configuration read from
     *                the Spring {@code Environment}
     * @return the builder to use from then on: usually {@code builder} itself
     */
    SessionInterface.Builder customize(SessionInterface.Builder builder);
}
