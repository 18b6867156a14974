package io.sessionkit.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The {@link AsyncContext} that {@code startAsync} returns behind {@link SessionKitFilter}: the
 * container's, except that {@link #complete()} first saves the session, so that its cookie goes
 * out with the response, and that after a {@code startAsync()} without arguments
 * {@link #getRequest()} and {@link #getResponse()} answer with the session's request and
 * response rather than the container's unwrapped ones, whose {@code getSession()} is the
 * container's own.
 */
final class SessionSavingAsyncContext implements AsyncContext {

    private final AsyncContext container;
    private final AsyncSessionEnd end;
    private final ServletRequest sessionRequest;
    private final ServletResponse sessionResponse;

    SessionSavingAsyncContext(AsyncContext container, AsyncSessionEnd end, ServletRequest sessionRequest,
                              ServletResponse sessionResponse) {
        this.container = container;
        this.end = end;
        this.sessionRequest = sessionRequest;
        this.sessionResponse = sessionResponse;
    }

    /** @return whether this wraps that container context */
    boolean wraps(AsyncContext context) {
        return container == context;
    }

    @Override
    public ServletRequest getRequest() {
        return container.hasOriginalRequestAndResponse() ? sessionRequest : container.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
        return container.hasOriginalRequestAndResponse() ? sessionResponse : container.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return container.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
        container.dispatch();
    }

    @Override
    public void dispatch(String path) {
        container.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        container.dispatch(context, path);
    }

    @Override
    public void complete() {
        end.beforeComplete();
        container.complete();
    }

    @Override
    public void start(Runnable run) {
        container.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        container.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
        container.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        return container.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
        container.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return container.getTimeout();
    }
}
