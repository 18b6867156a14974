package io.sessionkit.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.Charset;

/**
 * A response that saves the session, and so writes its {@code Set-Cookie} and {@code Vary}
 * headers, just before the container would commit: on {@code flushBuffer}, a flush or close of
 * the writer or stream, {@code sendRedirect}, {@code sendError}, when the declared content
 * length is about to be reached, and before a write that could fill the container's buffer.
 * After the commit no header can be added, so later changes to the session are not saved.
 */
final class SessionSavingResponse extends HttpServletResponseWrapper {

    private static final String CONTENT_LENGTH = "Content-Length";

    private final RequestSession requestSession;
    private long contentLength = -1;
    private long bytesWritten;
    private SessionSavingOutputStream outputStream;
    private SessionSavingWriter writer;

    SessionSavingResponse(HttpServletResponse response, RequestSession requestSession) {
        super(response);
        this.requestSession = requestSession;
    }

    private void saveSession() {
        requestSession.saveBeforeCommit();
    }

    /**
     * @return whether writes must still be counted: the session has not been saved yet
     */
    boolean countsWrites() {
        return !requestSession.saveAttempted();
    }

    /**
     * Called before {@code bytes} more body bytes go to the container.
     */
    void beforeWrite(long bytes) {
        if (requestSession.saveAttempted()) {
            return;
        }
        bytesWritten += bytes;
        // Jetty writes a chunk of a quarter of its buffer or more straight through, committing the
        // response; other containers commit when the buffer is full. The lower bound suits both.
        long commitRisk = Math.max(1, getBufferSize() / 4);
        if ((contentLength >= 0 && bytesWritten >= contentLength) || bytesWritten >= commitRisk) {
            saveSession();
        }
    }

    private void contentLengthDeclared(long length) {
        contentLength = length;
        if (length >= 0 && bytesWritten >= length) {
            saveSession(); // the container may commit as soon as the body is complete
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        saveSession();
        super.flushBuffer();
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        saveSession();
        super.sendRedirect(location);
    }

    // Servlet 6.1 (Tomcat 11) adds these redirects, and its response wrapper sends them straight to
    // the wrapped response, past sendRedirect(String): named here, compiled against Servlet 6.0, so
    // that on a 6.1 container they override the wrapper's and save first too.

    /**
     * Servlet 6.1's redirect with a status: saves the session first.
     *
     * @param location the redirect's target
     * @param status   the redirect status
     * @throws IOException as the container's
     */
    public void sendRedirect(String location, int status) throws IOException {
        saveSession();
        redirect(new Class<?>[] {String.class, int.class}, location, status);
    }

    /**
     * Servlet 6.1's redirect that may keep the buffered body: saves the session first.
     *
     * @param location    the redirect's target
     * @param clearBuffer whether the buffered body is discarded
     * @throws IOException as the container's
     */
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        saveSession();
        redirect(new Class<?>[] {String.class, boolean.class}, location, clearBuffer);
    }

    /**
     * Servlet 6.1's redirect with a status that may keep the buffered body: saves the session first.
     *
     * @param location    the redirect's target
     * @param status      the redirect status
     * @param clearBuffer whether the buffered body is discarded
     * @throws IOException as the container's
     */
    public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
        saveSession();
        redirect(new Class<?>[] {String.class, int.class, boolean.class}, location, status, clearBuffer);
    }

    private void redirect(Class<?>[] parameterTypes, Object... arguments) throws IOException {
        try {
            HttpServletResponse.class.getMethod("sendRedirect", parameterTypes).invoke(getResponse(), arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        } catch (ReflectiveOperationException e) {
            // Only reached on a Servlet 6.1 container, whose API has the method.
            throw new UnsupportedOperationException("this container's Servlet API has no sendRedirect"
                    + java.util.Arrays.toString(parameterTypes) + ": it is Servlet 6.1's", e);
        }
    }

    @Override
    public void sendError(int status) throws IOException {
        saveSession();
        super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        saveSession();
        super.sendError(status, message);
    }

    // The length is taken note of before the container sees it: a container completes, and so
    // commits, the response as soon as the declared length is already written.

    @Override
    public void setContentLength(int length) {
        contentLengthDeclared(length);
        super.setContentLength(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        contentLengthDeclared(length);
        super.setContentLengthLong(length);
    }

    @Override
    public void setHeader(String name, String value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            contentLengthDeclared(parseLength(value));
        }
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            contentLengthDeclared(parseLength(value));
        }
        super.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            contentLengthDeclared(value);
        }
        super.setIntHeader(name, value);
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            contentLengthDeclared(value);
        }
        super.addIntHeader(name, value);
    }

    private static long parseLength(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream stream = super.getOutputStream();
        if (outputStream == null || outputStream.delegate() != stream) {
            outputStream = new SessionSavingOutputStream(stream, this);
        }
        return outputStream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter container = super.getWriter();
        if (writer == null || writer.delegate() != container) {
            writer = new SessionSavingWriter(container, Charset.forName(getCharacterEncoding()), this);
        }
        return writer;
    }

    @Override
    public void reset() {
        super.reset();
        bytesWritten = 0;
        contentLength = -1;
        requestSession.rewriteHeadersAfterReset();
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        bytesWritten = 0;
    }

    void flushed() {
        saveSession();
    }
}
