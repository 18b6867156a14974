package io.sessionkit.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * A request whose session methods are answered by SessionKit instead of the container.
 */
final class SessionKitRequest extends HttpServletRequestWrapper {

    private final RequestSession requestSession;
    private final AsyncSessionEnd asyncEnd;
    private final ServletResponse sessionResponse;
    private volatile SessionSavingAsyncContext asyncContext;

    /**
     * @param sessionResponse the response the filter passes down the chain with this request
     */
    SessionKitRequest(HttpServletRequest request, RequestSession requestSession, AsyncSessionEnd asyncEnd,
                      ServletResponse sessionResponse) {
        super(request);
        this.requestSession = requestSession;
        this.asyncEnd = asyncEnd;
        this.sessionResponse = sessionResponse;
    }

    @Override
    public AsyncContext startAsync() {
        return asyncStarted(super.startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return asyncStarted(super.startAsync(request, response));
    }

    private AsyncContext asyncStarted(AsyncContext container) {
        SessionSavingAsyncContext context = asyncEnd.started(container, this, sessionResponse);
        asyncContext = context;
        return context;
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext container = super.getAsyncContext();
        SessionSavingAsyncContext context = asyncContext;
        return context != null && context.wraps(container) ? context : container;
    }

    @Override
    public HttpSession getSession(boolean create) {
        return requestSession.httpSession(create);
    }

    @Override
    public HttpSession getSession() {
        return requestSession.httpSession(true);
    }

    @Override
    public String changeSessionId() {
        return requestSession.changeSessionId();
    }

    @Override
    public String getRequestedSessionId() {
        return requestSession.requestedSessionId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return requestSession.isRequestedSessionIdValid();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return requestSession.isRequestedSessionIdFromCookie();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false; // SessionKit never reads or writes ids in URLs
    }
}
