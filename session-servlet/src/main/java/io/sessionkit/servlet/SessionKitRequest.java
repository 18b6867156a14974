package io.sessionkit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * A request whose session methods are answered by SessionKit instead of the container.
 */
final class SessionKitRequest extends HttpServletRequestWrapper {

    private final RequestSession requestSession;

    SessionKitRequest(HttpServletRequest request, RequestSession requestSession) {
        super(request);
        this.requestSession = requestSession;
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
