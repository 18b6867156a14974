package io.sessionkit.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Ends the session of a request that went async ({@code request.startAsync()}): the filter chain
 * returned while a continuation still writes the response, so the session cannot be saved there.
 * It is saved at the response's first commit point, as in any request, or else just before
 * {@link AsyncContext#complete()} commits the response (through the {@link AsyncContext} that
 * {@code startAsync} returned); its lock is released when the async request ends, whether it
 * completed, failed or timed out.
 */
final class AsyncSessionEnd implements AsyncListener {

    private final RequestSession requestSession;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private volatile boolean started;

    /**
     * @param request  the container's request, as the filter received it
     * @param response the container's response, as the filter received it
     */
    AsyncSessionEnd(RequestSession requestSession, HttpServletRequest request, HttpServletResponse response) {
        this.requestSession = requestSession;
        this.request = request;
        this.response = response;
    }

    /**
     * Takes note of a {@code startAsync} and wraps the container's context.
     *
     * @param sessionRequest  what the context's {@code getRequest()} answers when the application
     *                        called {@code startAsync()} without arguments
     * @param sessionResponse likewise for {@code getResponse()}
     */
    SessionSavingAsyncContext started(AsyncContext context, ServletRequest sessionRequest, ServletResponse sessionResponse) {
        started = true;
        context.addListener(this);
        return new SessionSavingAsyncContext(context, this, sessionRequest, sessionResponse);
    }

    /** @return whether the application started async processing through the session's request */
    boolean isStarted() {
        return started;
    }

    /** Called by {@link SessionSavingAsyncContext#complete()} before the container commits the response. */
    void beforeComplete() {
        SessionKitFilter.finishAsync(requestSession, request, response);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // A new startAsync after a dispatch goes through SessionKitRequest, which listens again.
    }

    /**
     * The async request is over: nothing can be sent any more, so nothing more is saved (a
     * timeout or an error answers with the container's error page, without the session's
     * changes); the lock is released, and changes that could not be saved are logged.
     */
    private void end() {
        if (requestSession.finishOnce()) {
            SessionKitFilter.endedWithoutSave(requestSession, request);
        }
    }
}
