package io.sessionkit.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The capabilities a backend implements in classes of their own, looked up by their interface,
 * so that {@link SessionBackend#capability(Class)} is one line:
 * <pre>{@code
 * private final Capabilities capabilities = Capabilities.none()
 *         .with(ConditionalWrites.class, new MyConditionalWrites(client))
 *         .with(SessionLocks.class, new MySessionLocks(client));
 *
 * public <C> Optional<C> capability(Class<C> type) {
 *     return capabilities.find(type).or(() -> SessionBackend.super.capability(type));
 * }
 * }</pre>
 * Immutable and thread-safe.
 */
public final class Capabilities {

    private static final Capabilities NONE = new Capabilities(Map.of());

    private final Map<Class<?>, Object> byType;

    private Capabilities(Map<Class<?>, Object> byType) {
        this.byType = byType;
    }

    /**
     * @return no capability
     */
    public static Capabilities none() {
        return NONE;
    }

    /**
     * @param type           the capability interface
     * @param implementation its implementation
     * @param <C>            that interface
     * @return these capabilities and {@code implementation} for {@code type}
     * @throws IllegalArgumentException when {@code type} is already there
     */
    public <C> Capabilities with(Class<C> type, C implementation) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(implementation, "implementation");
        if (byType.containsKey(type)) {
            throw new IllegalArgumentException(type.getName() + " is already among the capabilities");
        }
        Map<Class<?>, Object> more = new LinkedHashMap<>(byType);
        more.put(type, type.cast(implementation));
        return new Capabilities(Map.copyOf(more));
    }

    /**
     * @param type a capability interface
     * @param <C>  that interface
     * @return its implementation, or empty when there is none
     */
    public <C> Optional<C> find(Class<C> type) {
        return Optional.ofNullable(type.cast(byType.get(type)));
    }
}
