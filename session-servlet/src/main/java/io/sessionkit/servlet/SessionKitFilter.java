package io.sessionkit.servlet;

import io.sessionkit.Session;
import io.sessionkit.SessionException;
import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionConflictException;
import io.sessionkit.SessionLockTimeoutException;
import io.sessionkit.SessionTooLargeException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionEngineObserver;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.spi.Redaction;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Serves SessionKit sessions to the servlets behind it: inside the filter,
 * {@code request.getSession()} returns an {@link jakarta.servlet.http.HttpSession} kept in the
 * backend that {@code SESSION_TYPE} selects, and {@link #session(HttpServletRequest)} gives the
 * same session as a {@link Session} map.
 *
 * <h2>Configuration</h2>
 * Registered by class name (in {@code web.xml}, say) the filter reads, each source overriding the
 * one before: environment variables, Java system properties, the servlet context's init
 * parameters whose names are SessionKit keys ({@code SESSION_*}, {@code SECRET_KEY},
 * {@code SECRET_KEY_FALLBACKS}, {@code PERMANENT_SESSION_LIFETIME}), and the filter's own init
 * parameters. Constructed in code it takes a ready {@link SessionConfig}, or a
 * {@link SessionInterface} that the application keeps and closes itself; an engine the filter
 * built is closed by {@link #destroy()}.
 *
 * <h2>Saving</h2>
 * The session is saved exactly once per request, just before the response commits (on
 * {@code flushBuffer}, a flush of the writer or stream, {@code sendRedirect}, {@code sendError},
 * when the declared content length is reached or the container's buffer may fill, when a forward
 * returns if the filter is also mapped for {@code FORWARD}) or, if none of those happens, when
 * the filter chain returns; for a request still async then ({@code startAsync}), inside
 * {@code AsyncContext.complete()} instead, before the container commits. So the
 * {@code Set-Cookie} and {@code Vary: Cookie} headers always reach the browser. Changes made
 * after that point are not saved, and logged as such, with one exception: {@code invalidate()}
 * then deletes the stored session at once (no cookie can be sent any more). {@code changeSessionId()} and {@code Session.regenerate()} after
 * that point throw {@link IllegalStateException}, since the new id's cookie could not be sent.
 * With {@code SESSION_LOCKING}, the session's lock is released when the request ends (for an
 * async request: when it completes, fails or times out), whether the session was saved or not.
 *
 * <h2>Listeners</h2>
 * Servlet {@code HttpSessionListener}s and {@code HttpSessionIdListener}s hear about SessionKit's
 * sessions when named in the {@value #SESSION_LISTENERS_PARAMETER} init parameter or added with
 * {@link #addListener}; attribute values that are {@code HttpSessionBindingListener}s hear when
 * they are bound and unbound.
 *
 * <h2>Errors</h2>
 * Met anywhere in the request, even when the application caught it, and answered with a short
 * plain-text body and {@code Cache-Control: no-store}: a {@link SessionBackendException} with
 * {@code 503 Service Unavailable}; a {@link SessionLockTimeoutException} with {@code 503} and
 * {@code Retry-After: 1}; a {@link SessionConflictException} ({@code SESSION_CONFLICT=fail})
 * with {@code 409 Conflict}; a {@link SessionTooLargeException}, or any other failure of the
 * save (such as the {@code null} backend's refusal to store data), with {@code 500}. The stored
 * session is left as it was. When the response is already committed the failure is only
 * logged.
 *
 * <p>Thread-safe; one instance serves every request.
 */
public class SessionKitFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionKitFilter.class);
    private static final int MAX_CAUSE_DEPTH = 16;

    /** Seconds a client is asked to wait after a lock timeout: the lock's holder is most likely nearly done. */
    static final int LOCK_RETRY_AFTER_SECONDS = 1;

    /** Init parameter: class names of {@code HttpSessionListener}s and {@code HttpSessionIdListener}s, comma-separated. */
    public static final String SESSION_LISTENERS_PARAMETER = "sessionListeners";

    private final SessionConfig givenConfig;
    private final ContainerSessionListeners containerListeners = new ContainerSessionListeners();
    private volatile SessionInterface sessions;
    private volatile boolean ownsSessions;

    /**
     * For registration by class name: the configuration is read in {@link #init(FilterConfig)}.
     */
    public SessionKitFilter() {
        this.givenConfig = null;
    }

    /**
     * Uses this configuration instead of reading one; the engine is built in {@code init} and
     * closed in {@code destroy}.
     *
     * @param config the configuration
     */
    public SessionKitFilter(SessionConfig config) {
        this.givenConfig = Objects.requireNonNull(config, "config");
    }

    /**
     * Uses this engine; the application keeps ownership of it and closes it after the filter is
     * destroyed.
     *
     * @param sessions the engine
     */
    public SessionKitFilter(SessionInterface sessions) {
        this.givenConfig = null;
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.ownsSessions = false;
    }

    /**
     * The session of a request that passed through this filter, as a {@link Session} map: the
     * same session that {@code request.getSession()} shows. Like {@code getSession(true)} it
     * always returns a session, but an untouched one costs nothing and is not stored.
     *
     * @param request a request inside the filter (the container's or any wrapper of it)
     * @return the request's session
     * @throws IllegalStateException when the filter did not run for this request
     */
    public static Session session(HttpServletRequest request) {
        return requestSession(request).session();
    }

    private static RequestSession requestSession(HttpServletRequest request) {
        Object state = request.getAttribute(RequestSession.ATTRIBUTE);
        if (!(state instanceof RequestSession requestSession)) {
            throw new IllegalStateException("No SessionKit session on this request to " + request.getRequestURI()
                    + ": SessionKitFilter did not run for it. Map the filter to this path (url-pattern /*)"
                    + " for the REQUEST dispatcher type; see docs/servlet.md");
        }
        return requestSession;
    }

    /**
     * Tells the filter that this request only reads its session, so that with
     * {@code SESSION_LOCKING} it neither takes nor waits for the session's lock (a page that shows
     * the cart, say, beside requests that change it). Call it before the request first uses its
     * session. A change the request makes anyway is still saved, merged with the other requests'
     * changes by the backend's conditional writes, but not serialised with them. Without
     * {@code SESSION_LOCKING} it changes nothing.
     *
     * @param request a request inside the filter
     * @throws IllegalStateException when the filter did not run for this request, or the request
     *                               has used its session already
     */
    public static void withoutLock(HttpServletRequest request) {
        requestSession(request).withoutLock();
    }

    /**
     * Tells a servlet session listener about SessionKit's sessions: the container calls the
     * listeners registered with it only for its own sessions, which requests behind this filter
     * never use, and offers no way to list them. Listeners named in the
     * {@value #SESSION_LISTENERS_PARAMETER} init parameter are added at {@code init}.
     *
     * @param listener an {@link jakarta.servlet.http.HttpSessionListener} (created, and destroyed
     *                 once the record is gone, so its attributes can no longer be read), an
     *                 {@link jakarta.servlet.http.HttpSessionIdListener}, or both
     * @throws IllegalArgumentException when it is neither
     */
    public void addListener(EventListener listener) {
        containerListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Builds the engine from the configuration, unless one was given in code, and connects the
     * servlet session listeners to it.
     *
     * @throws ServletException when the configuration is invalid, the backend cannot be set up, or
     *                          a listener class cannot be created; the message names each bad
     *                          key, value or class
     */
    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        addListeners(filterConfig == null ? null : filterConfig.getInitParameter(SESSION_LISTENERS_PARAMETER));
        if (sessions == null) {
            try {
                SessionConfig config = givenConfig != null ? givenConfig : configFrom(filterConfig);
                sessions = SessionInterface.create(config);
                ownsSessions = true;
            } catch (SessionException e) {
                throw new ServletException("SessionKitFilter could not start: " + e.getMessage(), e);
            }
        }
        if (!containerListeners.isEmpty()) {
            SessionConfig config = sessions.config();
            containerListeners.attach(filterConfig == null ? null : filterConfig.getServletContext(), config.lifetime(),
                    config.clock());
            sessions.addListener(containerListeners);
        }
    }

    private void addListeners(String classNames) throws ServletException {
        if (classNames == null) {
            return;
        }
        for (String className : classNames.split(",")) {
            String name = className.strip();
            if (name.isEmpty()) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
                addListener((EventListener) type.getConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException | IllegalArgumentException | LinkageError e) {
                throw new ServletException("SessionKitFilter could not start: the " + SESSION_LISTENERS_PARAMETER
                        + " init parameter names " + name + ", which is not an HttpSessionListener or"
                        + " HttpSessionIdListener with a public no-argument constructor (" + e + ")", e);
            }
        }
    }

    static SessionConfig configFrom(FilterConfig filterConfig) {
        ServletContext context = filterConfig.getServletContext();
        Map<String, String> contextParameters = parameters(context.getInitParameterNames(), context::getInitParameter);
        contextParameters.keySet().removeIf(name -> !SessionConfig.isSessionKey(name));
        Map<String, String> filterParameters = parameters(filterConfig.getInitParameterNames(),
                filterConfig::getInitParameter);
        filterParameters.remove(SESSION_LISTENERS_PARAMETER);
        return SessionConfig.builder()
                .fromEnvironment()
                .fromSystemProperties()
                .fromMap(contextParameters)
                .fromMap(filterParameters)
                .build();
    }

    private static Map<String, String> parameters(Enumeration<String> names, Function<String, String> value) {
        Map<String, String> parameters = new LinkedHashMap<>();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            parameters.put(name, value.apply(name));
        }
        return parameters;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        Object served = servletRequest.getAttribute(RequestSession.ATTRIBUTE);
        if (served instanceof RequestSession ended && ended.finished()
                && servletRequest.getDispatcherType() == DispatcherType.ERROR) {
            // The container's error page, dispatched after the request's own chain ended and its session
            // was saved: the page gets a session of its own, opened again from the request's cookies (as
            // Spring Session's filter does), so that it sees what the request saw, a login included.
            servletRequest.removeAttribute(RequestSession.ATTRIBUTE);
            try {
                doFilter(servletRequest, servletResponse, chain);
            } finally {
                servletRequest.setAttribute(RequestSession.ATTRIBUTE, ended);
            }
            return;
        }
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)
                || served != null) {
            // Not HTTP, or a forward/include of a request this filter already serves.
            chain.doFilter(servletRequest, servletResponse);
            if (served instanceof RequestSession forwarded && servletRequest.getDispatcherType() == DispatcherType.FORWARD
                    && !servletRequest.isAsyncStarted()) {
                saveAfterForward(forwarded);
            }
            return;
        }
        SessionInterface engine = sessions;
        if (engine == null) {
            throw new IllegalStateException("SessionKitFilter was not initialised: the container must call init()"
                    + " before doFilter()");
        }
        RequestSession requestSession = new RequestSession(engine, request, response);
        request.setAttribute(RequestSession.ATTRIBUTE, requestSession);
        AsyncSessionEnd asyncEnd = new AsyncSessionEnd(requestSession, request, response);
        SessionSavingResponse sessionResponse = new SessionSavingResponse(response, requestSession);
        Throwable applicationFailure = null;
        try {
            chain.doFilter(new SessionKitRequest(request, requestSession, asyncEnd, sessionResponse), sessionResponse);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            applicationFailure = e;
        }
        if (applicationFailure == null && asyncEnd.isStarted() && request.isAsyncStarted()) {
            // A continuation still writes the response: the session is saved at its commit point
            // or before AsyncContext.complete(), and released when the async request ends.
            return;
        }
        finish(requestSession, applicationFailure, request, response);
    }

    /**
     * A forward's end is a commit point: the container commits the response when the forward
     * returns, and Tomcat 11 even stops the response past every wrapper there, so that headers
     * added later are dropped. A failure is remembered by the request's session and answered or
     * logged when the request ends.
     */
    private static void saveAfterForward(RequestSession requestSession) {
        try {
            requestSession.saveBeforeCommit();
        } catch (SessionException remembered) {
            // answered when the request ends
        }
    }

    /**
     * Ends an async request's session just before {@code AsyncContext.complete()} commits the
     * response: saved, a failure answered, the lock released. An I/O failure of the answer (the
     * client went away) is only logged: {@code complete()} has no way to report it.
     */
    static void finishAsync(RequestSession requestSession, HttpServletRequest request, HttpServletResponse response) {
        try {
            finish(requestSession, null, request, response);
        } catch (IOException | ServletException e) {
            LOG.warn("{} {}: the session's error answer could not be written: {}", request.getMethod(),
                    Redaction.message(request.getRequestURI(), requestSession.credentials()),
                    Redaction.message(String.valueOf(e.getMessage()), requestSession.credentials()));
        }
    }

    /**
     * Ends a request whose response is gone before its session was saved (an async request that
     * timed out, failed, or was completed through the container's own {@code AsyncContext}):
     * nothing is saved from then on, the lock is released, and changes that could not be saved
     * are logged.
     */
    static void endedWithoutSave(RequestSession requestSession, HttpServletRequest request) {
        try {
            warnOfLostChanges(requestSession.changesLost(), requestSession, request);
        } finally {
            // A container that writes its timeout or error page through the session's response
            // (Undertow) would otherwise save there; the others bypass it: the same in all.
            requestSession.abandonSave();
            requestSession.release();
        }
    }

    private static void warnOfLostChanges(boolean lost, RequestSession requestSession, HttpServletRequest request) {
        if (lost) {
            LOG.warn("{} {} changed its session where the change could not be saved: after the response was"
                            + " committed, or in an async request that did not end with the AsyncContext that"
                            + " startAsync returned; see docs/servlet.md", request.getMethod(),
                    Redaction.message(request.getRequestURI(), requestSession.credentials()));
        }
    }

    /**
     * Saves the session once, unless a commit point already did, and decides the answer: the
     * application's own failure is rethrown (after saving what it changed, as Flask-Session
     * does); a session failure met anywhere in the request, even one the application caught, is
     * answered with 503, 409 or 500. The session's lock is released in every case.
     */
    private static void finish(RequestSession requestSession, Throwable applicationFailure,
                               HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!requestSession.finishOnce()) {
            return; // an async request's end got there first
        }
        SessionException failure = requestSession.saveFailure();
        boolean rethrowApplicationFailure = false;
        try {
            if (failure == null) {
                failure = sessionFailure(applicationFailure);
            }
            if (failure == null) {
                failure = requestSession.saveAtEnd();
                if (applicationFailure != null) {
                    if (failure != null) {
                        applicationFailure.addSuppressed(failure);
                    }
                    rethrowApplicationFailure = true;
                }
            }
        } finally {
            // Before the answer: a response whose body is complete may reach the client, and its
            // next request the session, as soon as the last byte is written.
            requestSession.release();
        }
        warnOfLostChanges(requestSession.changedAfterSave(), requestSession, request);
        if (rethrowApplicationFailure) {
            rethrow(applicationFailure);
        }
        if (failure != null) {
            answer(failure, request, response, requestSession.credentials(), requestSession.observer());
        }
    }

    private static void rethrow(Throwable failure) throws IOException, ServletException {
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof ServletException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) failure;
    }

    private static SessionException sessionFailure(Throwable thrown) {
        Throwable cause = thrown;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SessionBackendException || cause instanceof SessionTooLargeException
                    || cause instanceof SessionConflictException || cause instanceof SessionLockTimeoutException) {
                return (SessionException) cause;
            }
        }
        return null;
    }

    private static void answer(SessionException failure, HttpServletRequest request, HttpServletResponse response,
                               String[] credentials, SessionEngineObserver observer) throws IOException {
        int status;
        String body;
        if (failure instanceof SessionConflictException) {
            status = HttpServletResponse.SC_CONFLICT;
            body = "409 Conflict: another request changed this session at the same time, so this request's changes"
                    + " were not saved. Please try again.\n";
        } else if (failure instanceof SessionLockTimeoutException) {
            status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            body = "503 Service Unavailable: the session is busy with another request. Please try again shortly.\n";
        } else if (failure instanceof SessionBackendException) {
            status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            body = "503 Service Unavailable: sessions are unavailable right now. Please try again shortly.\n";
        } else if (failure instanceof SessionTooLargeException) {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            body = "500 Internal Server Error: the session is too large to be saved.\n";
        } else {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            body = "500 Internal Server Error: the session could not be saved.\n";
        }
        boolean committed = response.isCommitted();
        String outcome = committed ? " (the response was already committed, so no error status could be sent)"
                : "; answered " + status;
        // Clients' messages quote store keys, and so the session id: log none of it whole.
        String path = Redaction.message(request.getRequestURI(), credentials);
        String message = Redaction.message(failure.getMessage(), credentials);
        if (failure instanceof SessionConflictException || failure instanceof SessionLockTimeoutException) {
            // The application's and the backend's business as usual under contention: no stack trace.
            LOG.warn("{} {} failed: {}{}", request.getMethod(), path, message, outcome);
        } else {
            LOG.error("{} {} failed: {}{}", request.getMethod(), path, message, outcome,
                    Redaction.throwable(failure, credentials));
        }
        if (committed) {
            return;
        }
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            observer.answeredUnavailable();
        }
        response.reset();
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (failure instanceof SessionLockTimeoutException) {
            response.setIntHeader("Retry-After", LOCK_RETRY_AFTER_SECONDS);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        try {
            ServletOutputStream out = response.getOutputStream();
            out.write(bytes);
        } catch (IllegalStateException writerInUse) {
            response.getWriter().write(body);
        }
    }

    /**
     * Closes the engine if this filter built it.
     */
    @Override
    public void destroy() {
        SessionInterface engine = sessions;
        if (engine != null) {
            engine.removeListener(containerListeners);
        }
        if (engine != null && ownsSessions) {
            engine.close();
            sessions = null;
        }
    }
}
