package io.sessionkit.servlet;

import io.sessionkit.Session;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The {@link Session} the application holds inside {@link SessionKitFilter}, directly or behind
 * its {@link jakarta.servlet.http.HttpSession} view: the engine's session, reached through
 * {@link RequestSession} so that
 * <ul>
 *   <li>it is loaded once per request, and a load that failed (the backend down, the session's
 *       lock taken for longer than {@code SESSION_LOCK_TIMEOUT}) fails again at once, without a
 *       second backend call or a second wait, and is answered by the filter even when the
 *       application caught it;</li>
 *   <li>{@link #regenerate()} after the response's commit point throws, because the new id's
 *       cookie could no longer be sent, and {@link #invalidate()} after it deletes the stored
 *       session at once.</li>
 * </ul>
 * Every other method is the engine session's. One request's, not thread-safe.
 */
final class CommitAwareSession implements Session {

    private final RequestSession requestSession;

    CommitAwareSession(RequestSession requestSession) {
        this.requestSession = requestSession;
    }

    private Session engine() {
        return requestSession.loaded();
    }

    /** The engine session, for a change: one made after the save is noted, so that it is not lost silently. */
    private Session changing() {
        requestSession.noteChange();
        return engine();
    }

    /** The engine session if the request opened it, without opening it. */
    private Session openedOrNull() {
        return requestSession.openedOrNull();
    }

    // ---- life cycle, with the commit point's rules ----------------------------------------------

    @Override
    public void regenerate() {
        requestSession.regenerate();
    }

    @Override
    public void invalidate() {
        requestSession.invalidate();
    }

    // ---- the rest is the engine session's --------------------------------------------------------

    @Override
    public String id() {
        return engine().id();
    }

    @Override
    public boolean isNew() {
        return engine().isNew();
    }

    @Override
    public boolean isModified() {
        Session opened = openedOrNull();
        return opened != null && opened.isModified();
    }

    @Override
    public boolean isAccessed() {
        Session opened = openedOrNull();
        return opened != null && opened.isAccessed();
    }

    @Override
    public boolean isPermanent() {
        return engine().isPermanent();
    }

    @Override
    public void setPermanent(boolean permanent) {
        changing().setPermanent(permanent);
    }

    @Override
    public Instant creationTime() {
        return engine().creationTime();
    }

    @Override
    public Optional<Duration> maxInactiveInterval() {
        return engine().maxInactiveInterval();
    }

    @Override
    public void setMaxInactiveInterval(Duration timeout) {
        changing().setMaxInactiveInterval(timeout);
    }

    @Override
    public void markModified() {
        changing().markModified();
    }

    @Override
    public void markModified(String key) {
        changing().markModified(key);
    }

    @Override
    public Set<String> changedKeys() {
        Session opened = openedOrNull();
        return opened == null ? Set.of() : opened.changedKeys();
    }

    @Override
    public Set<String> removedKeys() {
        Session opened = openedOrNull();
        return opened == null ? Set.of() : opened.removedKeys();
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return engine().get(key, type);
    }

    @Override
    public <T> T get(String key, Type type) {
        return engine().get(key, type);
    }

    @Override
    public int size() {
        return engine().size();
    }

    @Override
    public boolean isEmpty() {
        return engine().isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return engine().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return engine().containsValue(value);
    }

    @Override
    public Object get(Object key) {
        return engine().get(key);
    }

    @Override
    public Object put(String key, Object value) {
        return changing().put(key, value);
    }

    @Override
    public Object remove(Object key) {
        return changing().remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ?> values) {
        changing().putAll(values);
    }

    @Override
    public void clear() {
        changing().clear();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        // Map's default would write through entrySet(), which the engine session keeps read-only.
        changing().replaceAll(function);
    }

    @Override
    public Set<String> keySet() {
        return engine().keySet();
    }

    @Override
    public Collection<Object> values() {
        return engine().values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return engine().entrySet();
    }

    @Override
    public boolean equals(Object other) {
        return other == this || engine().equals(other);
    }

    @Override
    public int hashCode() {
        return engine().hashCode();
    }

    /** Names the attributes but not their values, which may be private; never loads the session. */
    @Override
    public String toString() {
        Session opened = openedOrNull();
        return opened == null ? "Session[not loaded]" : opened.toString();
    }
}
