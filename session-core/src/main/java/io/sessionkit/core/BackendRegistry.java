package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.SessionException;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@link SessionBackendProvider}s installed on a class path, found with
 * {@link ServiceLoader} and selected by {@code SESSION_TYPE}.
 *
 * <p>Selection never falls back silently: an unknown type fails listing every installed type
 * with its provider class; two providers of one type fail naming both; a provider that cannot
 * be loaded is reported with its cause without hiding the others. Immutable and thread-safe.
 */
public final class BackendRegistry {

    private final Map<String, List<SessionBackendProvider>> providersByType;
    private final List<String> brokenProviders;

    private BackendRegistry(Map<String, List<SessionBackendProvider>> providersByType, List<String> brokenProviders) {
        this.providersByType = providersByType;
        this.brokenProviders = brokenProviders;
    }

    /**
     * Finds the providers visible to the thread's context class loader, or to SessionKit's
     * own loader when there is none.
     *
     * @return the registry
     */
    public static BackendRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : SessionBackendProvider.class.getClassLoader());
    }

    /**
     * @param loader the class loader whose {@code META-INF/services} files are read
     * @return the registry
     */
    public static BackendRegistry load(ClassLoader loader) {
        Map<String, List<SessionBackendProvider>> byType = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        Iterator<SessionBackendProvider> iterator = ServiceLoader.load(SessionBackendProvider.class, loader).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                SessionBackendProvider provider = iterator.next();
                byType.computeIfAbsent(provider.type(), type -> new ArrayList<>()).add(provider);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                // One broken jar must not hide the working providers; it is named if its type is asked for.
                broken.add(e.getMessage() + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : ""));
            }
        }
        byType.replaceAll((type, providers) -> List.copyOf(providers));
        return new BackendRegistry(Collections.unmodifiableMap(byType), List.copyOf(broken));
    }

    /**
     * @return the installed types, sorted
     */
    public List<String> types() {
        return List.copyOf(providersByType.keySet());
    }

    /**
     * @return {@code type (provider class)} for every installed provider, comma-separated,
     *         for error messages
     */
    public String describeInstalled() {
        if (providersByType.isEmpty()) {
            return "none (no io.sessionkit.spi.SessionBackendProvider is registered in META-INF/services"
                    + " on the class path; add a backend jar such as backend-filesystem)";
        }
        return providersByType.entrySet().stream()
                .flatMap(entry -> entry.getValue().stream().map(p -> entry.getKey() + " (" + p.getClass().getName() + ")"))
                .collect(Collectors.joining(", "));
    }

    /**
     * @param type a {@code SESSION_TYPE} value
     * @return the one provider of that type
     * @throws SessionConfigException when no provider, or more than one, has that type
     */
    public SessionBackendProvider provider(String type) {
        List<SessionBackendProvider> providers = providersByType.getOrDefault(type, List.of());
        if (providers.size() == 1) {
            return providers.get(0);
        }
        if (providers.isEmpty()) {
            StringBuilder message = new StringBuilder(ConfigKeys.SESSION_TYPE + " was '" + type
                    + "' but no backend of that type is installed. Installed: " + describeInstalled()
                    + ". Put the backend's jar (e.g. io.sessionkit:backend-" + type + ") on the class path or choose an installed type");
            if (!brokenProviders.isEmpty()) {
                message.append(". Providers that failed to load: ").append(String.join("; ", brokenProviders));
            }
            throw new SessionConfigException(message.toString());
        }
        throw new SessionConfigException(ConfigKeys.SESSION_TYPE + " was '" + type + "' but " + providers.size()
                + " installed providers claim that type: "
                + providers.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(" and "))
                + ". Remove all but one of their jars from the class path");
    }

    /**
     * Creates the backend that {@link SessionConfig#type()} selects.
     *
     * @param config the configuration
     * @return the backend
     * @throws SessionConfigException when the type is unknown or ambiguous, or the backend's
     *                                keys are invalid
     * @throws SessionException       naming the provider class when its {@code create} fails
     *                                otherwise
     */
    public SessionBackend create(SessionConfig config) {
        SessionBackendProvider provider = provider(config.type());
        SessionBackend backend;
        try {
            backend = provider.create(config);
        } catch (SessionException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new SessionException("backend provider " + provider.getClass().getName() + " for "
                    + ConfigKeys.SESSION_TYPE + "='" + config.type() + "' failed to create its backend: " + e, e);
        }
        if (backend == null) {
            throw new SessionException("backend provider " + provider.getClass().getName() + " for "
                    + ConfigKeys.SESSION_TYPE + "='" + config.type() + "' returned no backend (null)");
        }
        return backend;
    }
}
