package io.sessionkit.core;

import io.sessionkit.ConfigKeys;
import io.sessionkit.SessionConfigException;
import io.sessionkit.Session;
import io.sessionkit.SessionException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.SessionListener;
import io.sessionkit.SessionCapabilityException;
import io.sessionkit.SessionPage;
import io.sessionkit.SessionSummary;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendDecorator;
import io.sessionkit.spi.SessionIdSigner;
import io.sessionkit.spi.SessionRecord;
import io.sessionkit.spi.SessionSerializer;
import io.sessionkit.spi.ConditionalWrites;
import io.sessionkit.spi.SessionLocks;
import io.sessionkit.spi.ExpiryNotifications;
import io.sessionkit.spi.ExpiryReportingLoad;
import io.sessionkit.spi.TouchingLoad;
import io.sessionkit.spi.VersionedEntry;
import io.sessionkit.spi.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The session engine, independent of any web framework: {@link #open} gives a request its
 * session from the cookie value, {@link #save} writes back what changed and says which
 * headers the response needs. The servlet binding calls these two; other bindings can too.
 *
 * <h2>Round trips to the backend</h2>
 * <ul>
 *   <li>A session that is never used costs none: {@code open} only checks the cookie.</li>
 *   <li>A cookie that is not a well-formed id (or, with {@code SESSION_USE_SIGNER}, not
 *       correctly signed) counts as no cookie and never reaches the backend.</li>
 *   <li>A request that only reads costs one: a load, which with
 *       {@code SESSION_REFRESH_EACH_REQUEST} also extends the expiry when the backend offers
 *       {@link TouchingLoad}, or else a load and a {@code touch} at the end.</li>
 *   <li>A request that modifies costs two: a load and a save, which sets the expiry (without
 *       {@link TouchingLoad} the read does not extend it first). Regeneration adds a delete.</li>
 *   <li>With a backend that offers {@link ConditionalWrites}, the load reads the stored version
 *       and the save is conditional on it, in the same round trips; a save that lost a race to
 *       another request of the session costs a read and a save more per retry, and merges
 *       ({@code docs/concurrency.md}).</li>
 *   <li>With {@code SESSION_LOCKING}, a request that uses a stored session adds the lock and its
 *       release.</li>
 * </ul>
 * Undecodable stored data is logged and treated as no session. Backend failures are thrown as
 * {@link SessionBackendException}, naming the backend by its {@code SESSION_TYPE} (or, for a
 * backend handed in from code, by its class).
 *
 * <h2>Start-up</h2>
 * After the backend is created, every SessionKit key that is set but that nothing read is
 * logged as a warning with the closest known key ({@code SESSION_REDIS_TIMOUT}: did you mean
 * {@code SESSION_REDIS_TIMEOUT}?), since such a key would otherwise fall back to its default
 * without a word.
 *
 * <p>Thread-safe: one instance serves every request of an application. Sessions themselves
 * belong to one request.
 */
public final class SessionInterface implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionInterface.class);
    // Far longer than any id a generator here makes, signed or not: longer cookies are not even parsed.
    private static final int MAX_COOKIE_VALUE_LENGTH = 512;
    /**
     * Session cookies tried per request. A browser sends more than one only when cookies of our
     * name were set for several paths or domains; a client that sends hundreds is making the backend
     * pay a load for each.
     */
    static final int MAX_COOKIE_CANDIDATES = 3;
    private static final Duration MIN_TIME_TO_LIVE = Duration.ofSeconds(1);
    /**
     * Stored JSON at least this long is read by attribute. Checking a value's tokens without
     * building it costs about half of parsing it, so a request that reaches little of a 16 KB
     * session reads it in half the time; a small session, which requests tend to reach whole,
     * is read whole, for a quarter less than by attribute (docs/benchmarks.md).
     */
    static final int READ_BY_ATTRIBUTE_FROM = 4096;
    private static final Set<String> WARNED_UNPROTECTED = ConcurrentHashMap.newKeySet();

    private final SessionConfig config;
    private final SessionBackend backend;
    private final String backendName;
    private final StoredSessionReader source;
    private final SessionSerializer serializer;
    private final SessionIdSigner signer;
    private final SessionIds ids;
    private final SessionIdHeaders idHeaders;
    private final BackendCalls calls;
    private final String keyPrefix;
    private final Duration lifetime;
    private final TouchingLoad touchingLoad;
    /** Whether a read also refreshes the expiry, in the same round trip. */
    private final boolean touchesOnLoad;
    /** The read that reports expiry, when SESSION_REFRESH_MIN_INTERVAL holds back refreshes; else null. */
    private final ExpiryReportingLoad expiryLoad;
    private final ConditionalWrites conditionalWrites;
    private final VersionedSave versionedSave;
    /** What the near cache's reads decode through; {@code null} without a near cache. */
    private final DecodedCopies decodedCopies;
    /** The serializer, when it writes slices the near cache reads by attribute ({@link JsonSlices}); else {@code null}. */
    private final JsonSessionSerializer slicingJson;
    private final LockWaiter lockWaiter;
    private final SessionEvents events;
    private final PrincipalTracking principals;
    private final SessionDirectory directory;
    private final SessionEngineObserver observer;
    /** Whether the backend was asked to tell which sessions expired, for {@link SessionListener#expired}. */
    private final AtomicBoolean reportingExpired = new AtomicBoolean();

    private SessionInterface(Builder builder) {
        this.config = builder.config;
        SessionBackend undecorated = builder.backend != null ? builder.backend : BackendRegistry.load().create(config);
        this.backendName = builder.backend != null ? builder.backend.getClass().getName() : config.type();
        this.observer = builder.observer;
        this.backend = NearCachedBackend.wrapIfEnabled(config, builder.decorator.decorate(undecorated, backendName),
                backendName, observer);
        this.serializer = builder.serializer != null ? builder.serializer
                : SerializerRegistry.forFormat(config.serializationFormat());
        this.signer = builder.signer != null ? builder.signer
                : config.useSigner() ? HmacSessionIdSigner.from(config) : null;
        this.ids = new SessionIds(config.idLength());
        this.idHeaders = new SessionIdHeaders(config, signer);
        this.calls = new BackendCalls(backendName);
        this.keyPrefix = config.keyPrefix();
        this.lifetime = config.lifetime();
        boolean refreshOnLoad = config.refreshEachRequest() && config.permanent();
        this.touchingLoad = refreshOnLoad ? backend.capability(TouchingLoad.class).orElse(null) : null;
        this.conditionalWrites = backend.capability(ConditionalWrites.class).orElse(null);
        ExpiryReportingLoad expiryReporting = backend.capability(ExpiryReportingLoad.class).orElse(null);
        boolean throttled = refreshOnLoad && !config.refreshMinInterval().isZero();
        this.expiryLoad = throttled ? expiryReporting : null;
        // A throttled refresh reads without touching, and touches only when the refresh is due. A
        // backend whose read cannot extend the life in the same round trip is touched at the end,
        // and only by a request that does not save: a save sets the expiry anyway.
        this.touchesOnLoad = refreshOnLoad && expiryLoad == null && touchingLoad != null;
        this.versionedSave = conditionalWrites == null ? null : new VersionedSave(conditionalWrites, serializer,
                this::encode, this::timeToLive, config.failOnConflict(), calls, observer);
        this.lockWaiter = config.locking() ? new LockWaiter(requireLocks(), config.lockTimeout(), config.lockLease(),
                (operation, call) -> calls.call(operation, call::getAsBoolean), observer) : null;
        // Large stored JSON is read by attribute: a value is parsed when the request first reaches
        // it. Sessions answered from memory are copied rather than parsed again on every read, and
        // those this process wrote are read by the slices their save noted.
        JsonSessionSerializer standardJson = serializer instanceof JsonSessionSerializer json && json.hasStandardMapper()
                ? json : null;
        Function<byte[], SessionRecord> firstRead = standardJson == null ? serializer::deserialize
                : data -> data.length < READ_BY_ATTRIBUTE_FROM ? standardJson.deserialize(data)
                : standardJson.deserializeSliced(data);
        this.decodedCopies = backend instanceof NearCachedBackend
                ? new DecodedCopies(firstRead, serializer::deserialize, config.nearCache()) : null;
        this.slicingJson = decodedCopies != null ? standardJson : null;
        Function<byte[], SessionRecord> decoder = decodedCopies != null ? decodedCopies::decode : firstRead;
        this.source = new StoredSessionReader(config, serializer, decoder, ids, lockWaiter, calls, backend, entryRead(),
                observer);
        this.events = SessionEvents.discover();
        builder.listeners.forEach(events::add);
        this.principals = PrincipalTracking.create(config, backend, backendName, calls);
        this.directory = new SessionDirectory(backend, backendName, keyPrefix, serializer, ids, calls, events, principals);
        if (!events.isEmpty()) {
            reportExpiredSessions();
        }
        checkLostUpdateProtection();
        if (throttled && expiryReporting == null) {
            LOG.warn("{} is set but the backend '{}' cannot tell an entry's expiry when reading it (it does not offer {}):"
                    + " every request that reads a session still refreshes it", ConfigKeys.SESSION_REFRESH_MIN_INTERVAL,
                    backendName, ExpiryReportingLoad.class.getName());
        }
        UnreadKeys.warn(config, LOG);
        if (config.useSigner()) {
            SecretKeys.warnIfShort(config, LOG);
        }
    }

    /** The one read this engine makes of a stored session, as the backend's capabilities and the configuration call for. */
    private StoredSessionReader.EntryRead entryRead() {
        if (expiryLoad != null) {
            // Without conditional writes a version means nothing to the engine: it saves blindly.
            return conditionalWrites != null ? expiryLoad::loadWithExpiry : key -> {
                VersionedEntry entry = expiryLoad.loadWithExpiry(key);
                return entry == null ? null : new VersionedEntry(entry.value(), 0, entry.expiresAt());
            };
        }
        if (conditionalWrites != null) {
            return touchesOnLoad ? key -> conditionalWrites.loadVersionedAndTouch(key, lifetime) : conditionalWrites::loadVersioned;
        }
        return key -> {
            byte[] value = touchesOnLoad ? touchingLoad.loadAndTouch(key, lifetime) : backend.load(key);
            return value == null ? null : new VersionedEntry(value, 0);
        };
    }

    private SessionLocks requireLocks() {
        return backend.capability(SessionLocks.class).orElseThrow(() -> new SessionConfigException(
                ConfigKeys.SESSION_LOCKING + " is true but the backend '" + backendName + "' has no session locks (it does"
                        + " not offer " + SessionLocks.class.getName() + "); turn " + ConfigKeys.SESSION_LOCKING
                        + " off or choose a backend that has them"));
    }

    private void checkLostUpdateProtection() {
        if (conditionalWrites != null) {
            return;
        }
        if (config.failOnConflict()) {
            throw new SessionConfigException(ConfigKeys.SESSION_CONFLICT + " is 'fail' but the backend '" + backendName
                    + "' cannot tell a conflict (it does not offer " + ConditionalWrites.class.getName()
                    + "); use last-writer-wins or a backend with conditional writes");
        }
        if (!WARNED_UNPROTECTED.add(backendName)) {
            return; // said once per backend: an application that builds several engines hears it once
        }
        LOG.warn("The session backend '{}' has no conditional writes, so SessionKit cannot protect its sessions against"
                + " lost updates: when requests of one session overlap, the last to save overwrites the others' changes,"
                + " and a request in flight during a logout can store the session again", backendName);
    }

    /**
     * Creates the engine with the backend that {@code SESSION_TYPE} selects.
     *
     * @param config the configuration
     * @return the engine
     * @throws io.sessionkit.SessionConfigException when the backend type, the serialization format
     *                                              or a backend key is invalid
     */
    public static SessionInterface create(SessionConfig config) {
        return builder(config).build();
    }

    /**
     * Creates the engine on a backend built in code; {@code SESSION_TYPE} is then ignored.
     *
     * @param config  the configuration
     * @param backend the backend; closed by {@link #close()}
     * @return the engine
     */
    public static SessionInterface create(SessionConfig config, SessionBackend backend) {
        return builder(config).backend(backend).build();
    }

    /**
     * @param config the configuration
     * @return a builder for an engine with a backend, serializer or signer given in code
     */
    public static Builder builder(SessionConfig config) {
        return new Builder(config);
    }

    /**
     * Gives a request its session. Costs no round trip to the backend: the session loads itself when
     * first used.
     *
     * @param cookieValue the session cookie's value as the browser sent it, or {@code null}
     * @return the request's session
     */
    public Session open(String cookieValue) {
        return open(cookieValue, true);
    }

    private Session open(String cookieValue, boolean lock) {
        if (cookieValue == null) {
            return new TrackedSession(source, null, false, lock);
        }
        String candidate = null;
        if (cookieValue.length() <= MAX_COOKIE_VALUE_LENGTH) {
            candidate = signer == null ? cookieValue : signer.unsign(cookieValue).orElse(null);
        }
        return new TrackedSession(source, ids.isWellFormed(candidate) ? candidate : null, true, lock);
    }

    /**
     * Gives a request its session when it may have sent several session cookies, as a browser
     * does when cookies of the same name were set for different paths or domains: the first
     * value (in the order sent, most specific path first) that names a stored session wins, or
     * else the first value. With one value or none this costs no round trip to the backend, as
     * {@link #open(String)}; with several, the distinct candidates are loaded in turn until one
     * is found, at most {@value #MAX_COOKIE_CANDIDATES} of them: the values after those are
     * ignored, so a request stuffed with cookies costs the backend no more than three loads.
     *
     * @param cookieValues the session cookie's values in the order sent, as
     *                     {@link #cookieValues(Iterator)} finds them; possibly empty
     * @return the request's session
     */
    public Session openFromCookies(List<String> cookieValues) {
        return openFromCookies(cookieValues, true);
    }

    /**
     * As {@link #openFromCookies(List)}, for a request that only reads its session: with
     * {@code SESSION_LOCKING} on it does not take (nor wait for) the session's lock, so it never
     * queues behind the session's other requests. A change it makes anyway is still saved with
     * the backend's conditional writes, merged with the others' changes, but not serialised with
     * them. Without {@code SESSION_LOCKING} it is {@link #openFromCookies(List)}.
     *
     * @param cookieValues the session cookie's values in the order sent
     * @return the request's session
     */
    public Session openWithoutLock(List<String> cookieValues) {
        return openFromCookies(cookieValues, false);
    }

    private Session openFromCookies(List<String> cookieValues, boolean lock) {
        if (cookieValues.size() <= 1) {
            return open(cookieValues.isEmpty() ? null : cookieValues.get(0), lock);
        }
        Session first = null;
        for (String value : distinctCandidates(cookieValues)) {
            Session candidate = open(value, lock);
            if (!candidate.isNew()) {
                return candidate;
            }
            if (first == null) {
                first = candidate;
            }
        }
        return first;
    }

    private static Iterable<String> distinctCandidates(List<String> cookieValues) {
        Set<String> candidates = new LinkedHashSet<>(MAX_COOKIE_CANDIDATES * 2);
        for (String value : cookieValues) {
            if (candidates.size() == MAX_COOKIE_CANDIDATES) {
                break;
            }
            candidates.add(value);
        }
        return candidates;
    }

    /**
     * Finds the values of the session cookie ({@code SESSION_COOKIE_NAME}) in a request's
     * {@code Cookie} headers, without building objects for the other cookies.
     *
     * @param cookieHeaders the values of every {@code Cookie} header of the request (HTTP/2 may
     *                      send several), or {@code null}
     * @return the session cookie's values in the order sent, surrounding quotes removed;
     *         possibly empty
     */
    public List<String> cookieValues(Iterator<String> cookieHeaders) {
        return SessionCookieValues.find(cookieHeaders, config.cookie().name());
    }

    /**
     * Finds the session id values a request sent, where the configuration says ids travel: the
     * values of the {@code SESSION_ID_HEADER} header when one is set, then, unless that header
     * replaces the cookie, the session cookie's values. Pass the result to
     * {@link #openFromCookies(List)}.
     *
     * @param idHeaders     the values of every {@code SESSION_ID_HEADER} header of the request, or
     *                      {@code null}; ignored when no such header is configured
     * @param cookieHeaders the values of every {@code Cookie} header of the request, or {@code null}
     * @return the id values in that order; possibly empty
     */
    public List<String> idValues(Iterator<String> idHeaders, Iterator<String> cookieHeaders) {
        if (config.idHeader().isEmpty()) {
            return cookieValues(cookieHeaders);
        }
        List<String> values = IdHeaderValues.find(idHeaders, MAX_COOKIE_CANDIDATES);
        if (config.idInCookie()) {
            List<String> cookieValues = cookieValues(cookieHeaders);
            if (!cookieValues.isEmpty()) {
                values = new ArrayList<>(values);
                values.addAll(cookieValues);
            }
        }
        return values;
    }

    /**
     * Writes back what the request changed: saves a modified session, refreshes the expiry
     * of a used permanent one, deletes an emptied, invalidated or regenerated one's old record.
     * A binding that saved once and can no longer send headers (its response committed) may
     * save again after the application invalidated the session: that deletes the record the
     * first save wrote.
     *
     * @param session a session from {@link #open} of this engine
     * @return the headers the response needs
     * @throws SessionBackendException    when the backend fails
     * @throws SessionTooLargeException when the serialized session exceeds
     *                                  {@code SESSION_MAX_SIZE}; the stored session is unchanged
     */
    public SaveResult save(Session session) {
        TrackedSession tracked = owned(session);
        try {
            return write(tracked);
        } finally {
            release(tracked);
        }
    }

    /**
     * Releases the lock a session holds under {@code SESSION_LOCKING}, without saving it.
     * {@link #save} releases it by itself; a binding calls this when a request ends without a
     * save (its response failed first, say). Does nothing for a session that holds no lock, and
     * nothing the second time.
     *
     * @param session a session from {@link #open} of this engine
     */
    public void release(Session session) {
        release(owned(session));
    }

    private void release(TrackedSession session) {
        String lockedId = session.lockedId();
        if (lockedId != null) {
            String token = session.lockToken();
            session.lockReleased();
            try {
                lockWaiter.release(keyPrefix + lockedId, token);
            } catch (SessionException e) {
                LOG.warn("Releasing a session lock failed; it frees itself after {}={}: {}", ConfigKeys.SESSION_LOCK_LEASE,
                        config.lockLease(), Redaction.message(e.getMessage(), keyPrefix + lockedId));
            }
        }
    }

    private TrackedSession owned(Session session) {
        if (!(session instanceof TrackedSession tracked) || tracked.source() != source) {
            throw new IllegalArgumentException("session was not opened by this SessionInterface");
        }
        return tracked;
    }

    private SaveResult write(TrackedSession tracked) {
        if (!tracked.isAccessed()) {
            return SaveResult.NONE;
        }
        if (tracked.isEmpty()) {
            return saveEmpty(tracked);
        }
        Instant now = config.clock().instant();
        if (tracked.isModified()) {
            boolean firstSave = tracked.storedId() == null;
            String previousPrincipal = storedPrincipal(tracked);
            boolean saved = saveModified(tracked);
            events.announceEnded(tracked);
            if (!saved) {
                return SaveResult.VARY_ONLY;
            }
            indexSaved(tracked, previousPrincipal);
            SaveResult result = sendId(tracked, now);
            tracked.savedUnderId();
            if (firstSave) {
                events.announceStored(tracked);
            }
            return result;
        }
        if (tracked.storedId() != null && tracked.isPermanent() && config.refreshEachRequest()) {
            Duration ttl = timeToLive(tracked.toRecord());
            if (refreshIsTooSoon(tracked.stored(), now, ttl)) {
                return SaveResult.VARY_ONLY;
            }
            // A read that refreshed the expiry used the common lifetime; a session with its own
            // timeout is refreshed again with that.
            if (!touchesOnLoad || !ttl.equals(lifetime)) {
                calls.run("touch", () -> backend.touch(keyPrefix + tracked.storedId(), ttl));
            }
            if (principals.indexing()) {
                principals.refreshed(keyPrefix + tracked.storedId(), storedPrincipal(tracked), ttl);
            }
            return sendId(tracked, now);
        }
        return SaveResult.VARY_ONLY;
    }

    /** Whether SESSION_REFRESH_MIN_INTERVAL holds back this refresh: it would move the expiry by too little. */
    private boolean refreshIsTooSoon(StoredSession stored, Instant now, Duration ttl) {
        if (expiryLoad == null || stored == null || stored.expiresAt() == null) {
            return false;
        }
        return Duration.between(stored.expiresAt(), now.plus(ttl)).compareTo(config.refreshMinInterval()) < 0;
    }

    /** The principal of the record this request read, or {@code null}. */
    private String storedPrincipal(TrackedSession tracked) {
        return principals.storedPrincipal(tracked, serializer);
    }

    /**
     * Keeps the principal index in step with a save. A regenerated or invalidated session's old
     * key is deleted without a word to an index kept beside the entries: its reads skip and drop
     * keys that are gone.
     */
    private void indexSaved(TrackedSession tracked, String previousPrincipal) {
        if (!principals.indexing()) {
            return;
        }
        String key = keyPrefix + tracked.id();
        SessionRecord record = tracked.toRecord();
        principals.saved(key, previousPrincipal, principals.principalOf(record), timeToLive(record),
                () -> calls.run("delete", () -> backend.delete(key)));
    }

    private boolean saveModified(TrackedSession tracked) {
        if (versionedSave != null && tracked.stored() == null && tracked.storedId() != null) {
            // Written earlier in this request: read back the version that write got, to replace it.
            StoredSession written = source.read(tracked.storedId(), null);
            if (written == null) {
                return false; // deleted since, by a logout elsewhere: not recreated
            }
            tracked.storedAgain(written);
        }
        if (versionedSave != null && tracked.stored() != null) {
            return versionedSave.replace(keyPrefix + tracked.id(), tracked);
        }
        SessionRecord record = tracked.toRecord();
        byte[] data = encode(record);
        // A regenerated session's old id dies before its new one is written: a failure between
        // the two leaves no session, a failed delete leaves the old one as it was, and neither
        // leaves both alive or the old id valid beside a record the browser never learns of.
        deleteAll(tracked.staleIds());
        String key = keyPrefix + tracked.id();
        Duration ttl = timeToLive(record);
        if (conditionalWrites == null) {
            calls.run("save", () -> backend.save(key, data, ttl));
            return true;
        }
        // A new or regenerated session: its random id is free unless 256 random bits repeat.
        if (!calls.call("save", () -> conditionalWrites.create(key, data, ttl))) {
            throw new SessionBackendException(backendName, "save", "a new session id was already taken;"
                    + " check that " + ConfigKeys.SESSION_KEY_PREFIX + " is not shared with data of another kind", null);
        }
        return true;
    }

    private SaveResult saveEmpty(TrackedSession session) {
        if (session.storedId() != null && !session.isModified()) {
            return SaveResult.VARY_ONLY;
        }
        String emptiedId = session.storedId();
        String previousPrincipal = storedPrincipal(session);
        if (emptiedId != null) {
            String key = keyPrefix + emptiedId;
            if (versionedSave != null && session.stored() != null) {
                if (!versionedSave.deleteEmptied(key, session)) {
                    deleteAll(session.staleIds());
                    events.announceEnded(session);
                    return SaveResult.VARY_ONLY; // another request put something in it: it lives on
                }
            } else {
                calls.run("delete", () -> backend.delete(key));
            }
            session.storedRecordDeleted();
            principals.deleted(key, previousPrincipal);
        }
        deleteAll(session.staleIds());
        if (emptiedId != null) {
            events.invalidated(emptiedId);
        }
        events.announceEnded(session);
        // A cookie that named no stored session, or one whose session just ended, is expired, so the
        // browser stops sending it and later requests skip the backend.
        return session.cookieSent() ? idHeaders.end() : SaveResult.VARY_ONLY;
    }

    private void deleteAll(Iterable<String> staleIds) {
        for (String staleId : staleIds) {
            calls.run("delete", () -> backend.delete(keyPrefix + staleId));
        }
    }

    private byte[] encode(SessionRecord record) {
        JsonSlices.Written written = slicingJson != null ? slicingJson.serializeSliced(record)
                : new JsonSlices.Written(serializer.serialize(record), null);
        byte[] data = written.bytes();
        observer.serialized(data.length);
        if (config.maxSize() > 0 && data.length > config.maxSize()) {
            observer.refusedTooLarge(data.length);
            throw new SessionTooLargeException(data.length, config.maxSize(), ConfigKeys.SESSION_MAX_SIZE);
        }
        if (decodedCopies != null) {
            decodedCopies.written(data, written.slices());
        }
        return data;
    }

    /** The session's own idle timeout or the common lifetime, cut short by its absolute expiry. */
    private Duration timeToLive(SessionRecord record) {
        Duration idle = record.maxInactive() != null ? record.maxInactive() : lifetime;
        if (record.absoluteExpiry() == null) {
            return idle;
        }
        Duration left = Duration.between(config.clock().instant(), record.absoluteExpiry());
        if (left.compareTo(idle) >= 0) {
            return idle;
        }
        // A session at its very end still gets a positive time to live, as every backend demands.
        return left.compareTo(MIN_TIME_TO_LIVE) < 0 ? MIN_TIME_TO_LIVE : left;
    }

    private SaveResult sendId(TrackedSession session, Instant now) {
        Instant expires = session.isPermanent() ? now.plus(timeToLive(session.toRecord())) : null;
        return idHeaders.send(session.id(), expires, now);
    }

    /**
     * Adds a listener, called after those that {@link java.util.ServiceLoader} found and those
     * added before it. It hears about what happens from then on.
     *
     * @param listener hears about sessions created, given a new id, and ended
     */
    public void addListener(SessionListener listener) {
        events.add(Objects.requireNonNull(listener, "listener"));
        reportExpiredSessions();
    }

    /**
     * Asks the backend, once and only when someone listens (telling may cost it a read or a
     * subscription), to tell which sessions expired. Entries of other key prefixes sharing the
     * backend are not this engine's sessions.
     */
    private void reportExpiredSessions() {
        Optional<ExpiryNotifications> notifications = backend.capability(ExpiryNotifications.class);
        if (notifications.isPresent() && reportingExpired.compareAndSet(false, true)) {
            events.listenTo(notifications.get(), keyPrefix);
        }
    }

    /**
     * @param listener a listener added before; nothing happens if it was not
     */
    public void removeListener(SessionListener listener) {
        events.remove(listener);
    }

    /**
     * The live sessions of a user, as the backend's principal index lists them: every session
     * whose {@code SESSION_PRINCIPAL_KEY} attribute names {@code principal}.
     *
     * @param principal the user, as the attribute names them
     * @return their sessions, in no particular order
     * @throws IllegalStateException       when {@code SESSION_PRINCIPAL_KEY} is not set
     * @throws SessionCapabilityException  when the backend keeps no principal index
     * @throws SessionBackendException     when the backend fails
     */
    public List<SessionSummary> sessionsOf(String principal) {
        return directory.sessionsOf(principal);
    }

    /**
     * Ends a session at once for every application node: its record is deleted, and a request of
     * it still in flight cannot store it again (on a backend with conditional writes).
     * {@link SessionListener#revoked} hears of it.
     *
     * @param id the session's id, as {@link SessionSummary#id()} gives it
     * @return {@code false} when there was no such session
     * @throws IllegalArgumentException when {@code id} is not a session id of this engine
     * @throws SessionBackendException  when the backend fails
     */
    public boolean revoke(String id) {
        return directory.revoke(id);
    }

    /**
     * Ends every session of a user ("log out everywhere"), as {@link #revoke} ends one.
     *
     * @param principal the user
     * @return how many sessions were ended
     * @throws IllegalStateException      when {@code SESSION_PRINCIPAL_KEY} is not set
     * @throws SessionCapabilityException when the backend keeps no principal index
     * @throws SessionBackendException    when the backend fails
     */
    public int revokeAll(String principal) {
        return directory.revokeAllExcept(principal, null);
    }

    /**
     * Ends every session of a user but one, typically the one making the request ("log out my
     * other devices").
     *
     * @param principal the user
     * @param keepId    the id of the session to keep
     * @return how many sessions were ended
     * @throws IllegalStateException      when {@code SESSION_PRINCIPAL_KEY} is not set
     * @throws SessionCapabilityException when the backend keeps no principal index
     * @throws SessionBackendException    when the backend fails
     */
    public int revokeAllExcept(String principal, String keepId) {
        return directory.revokeAllExcept(principal, Objects.requireNonNull(keepId, "keepId"));
    }

    /**
     * Counts the live sessions of this engine's {@code SESSION_KEY_PREFIX} with the backend's own
     * scan; on a large store this reads every key.
     *
     * @return how many there are
     * @throws SessionCapabilityException when the backend cannot list its sessions
     * @throws SessionBackendException    when the backend fails
     */
    public long count() {
        return directory.count();
    }

    /**
     * One page of the live sessions of this engine's {@code SESSION_KEY_PREFIX}. Walk them all by
     * passing each page's {@link SessionPage#nextCursor()} until it is {@code null}; a page may be
     * short, even empty, before the end.
     *
     * @param cursor {@code null} for the first page, else the cursor the page before gave
     * @param limit  the most sessions on the page, 1 to 10,000
     * @return the page
     * @throws IllegalArgumentException   when {@code limit} is out of range or {@code cursor} is not one
     *                                    of this backend's
     * @throws SessionCapabilityException when the backend cannot list its sessions
     * @throws SessionBackendException    when the backend fails
     */
    public SessionPage list(String cursor, int limit) {
        return directory.list(cursor, limit);
    }

    /**
     * @return the configuration
     */
    public SessionConfig config() {
        return config;
    }

    /**
     * The backend's implementation of an optional capability, such as
     * {@link io.sessionkit.spi.ExpiredSessionCleanup}, so that an application can use what its
     * backend offers without knowing the backend's classes.
     *
     * @param type the capability interface
     * @param <C>  that interface
     * @return the capability, or empty when the backend in use does not have it
     */
    public <C> Optional<C> capability(Class<C> type) {
        return backend.capability(type);
    }

    /**
     * @return the backend's name in messages: its {@code SESSION_TYPE}, or its class name when it
     *         was handed in from code
     */
    public String backendName() {
        return backendName;
    }

    /**
     * @return the serializer in use: the builder's, or the one {@code SESSION_SERIALIZATION_FORMAT}
     *         names, so that a tool can decode a record it read from the backend itself
     */
    public SessionSerializer serializer() {
        return serializer;
    }

    /**
     * @return the observer given to the builder, so that a binding can report what it decides
     *         itself ({@link SessionEngineObserver#answeredUnavailable()}); one that observes nothing
     *         when none was given
     */
    public SessionEngineObserver observer() {
        return observer;
    }

    /**
     * Closes the backend.
     */
    @Override
    public void close() {
        backend.close();
    }

    /**
     * Builds an engine whose backend, serializer or signer is given in code; what is not given
     * comes from the configuration.
     */
    public static final class Builder {
        private final SessionConfig config;
        private SessionBackend backend;
        private SessionSerializer serializer;
        private SessionIdSigner signer;
        private SessionBackendDecorator decorator = (backend, name) -> backend;
        private SessionEngineObserver observer = SessionEngineObserver.NONE;
        private final List<SessionListener> listeners = new ArrayList<>();

        private Builder(SessionConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * @param backend the backend, instead of the one {@code SESSION_TYPE} selects
         * @return this builder
         */
        public Builder backend(SessionBackend backend) {
            this.backend = backend;
            return this;
        }

        /**
         * @param serializer the serializer, instead of {@code SESSION_SERIALIZATION_FORMAT}'s
         * @return this builder
         */
        public Builder serializer(SessionSerializer serializer) {
            this.serializer = serializer;
            return this;
        }

        /**
         * @param signer the signer, used whatever {@code SESSION_USE_SIGNER} says
         * @return this builder
         */
        public Builder signer(SessionIdSigner signer) {
            this.signer = signer;
            return this;
        }

        /**
         * @param decorator wraps the backend, when the engine is built, in one that the engine uses
         *                  instead (to time its calls, say); replaces a decorator given before
         * @return this builder
         */
        public Builder decorateBackend(SessionBackendDecorator decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * @param observer hears about decode failures, refusals, conflicts, lock time-outs and
         *                 serialized sizes; replaces an observer given before
         * @return this builder
         */
        public Builder observer(SessionEngineObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Adds a listener, as {@link SessionInterface#addListener} does, from the engine's start.
         *
         * @param listener hears about sessions created, given a new id, and ended
         * @return this builder
         */
        public Builder listener(SessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @return the engine
         */
        public SessionInterface build() {
            return new SessionInterface(this);
        }
    }
}
