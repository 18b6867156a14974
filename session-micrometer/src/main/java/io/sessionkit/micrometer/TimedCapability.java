package io.sessionkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Times every method of a backend capability ({@code ConditionalWrites}, {@code SessionLocks},
 * ...), whatever the interface: the {@code operation} tag is the method's name, so its values are
 * bounded by the SPI's methods. One proxy per capability interface, built when the engine asks
 * for the capability, with each method's timer looked up then, not per call.
 */
final class TimedCapability implements InvocationHandler {

    /** A capability method's timer, and whether it returns something, looked up once. */
    private record TimedMethod(OperationTimer timer, boolean hasResult) {
    }

    private final Object capability;
    private final Map<Method, TimedMethod> timers;

    private TimedCapability(Object capability, Map<Method, TimedMethod> timers) {
        this.capability = capability;
        this.timers = timers;
    }

    /**
     * @param type       the capability interface
     * @param capability the backend's implementation of it
     * @param backend    the backend's name, the {@code type} tag
     * @return a timed implementation of {@code type}; {@code capability} itself when {@code type}
     *         is not a public interface, which a proxy could not implement
     */
    static <C> C wrap(Class<C> type, C capability, MeterRegistry registry, String backend) {
        if (!type.isInterface() || !Modifier.isPublic(type.getModifiers())) {
            return capability;
        }
        Map<Method, TimedMethod> timers = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers())) {
                timers.put(method, new TimedMethod(new OperationTimer(registry, backend, method.getName()),
                        method.getReturnType() != void.class));
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new TimedCapability(capability, Map.copyOf(timers)));
        return type.cast(proxy);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        TimedMethod timed = timers.get(method);
        if (timed == null) {
            return objectMethod(proxy, method, args);
        }
        OperationTimer timer = timed.timer();
        long start = timer.start();
        Object result;
        try {
            result = method.invoke(capability, args);
        } catch (InvocationTargetException e) {
            timer.record(Outcome.ERROR, start);
            throw e.getCause();
        }
        timer.record(Outcome.of(result, timed.hasResult()), start);
        return result;
    }

    /** equals, hashCode and toString: the proxy's own identity, untimed. */
    private Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "timed " + capability;
        };
    }
}
