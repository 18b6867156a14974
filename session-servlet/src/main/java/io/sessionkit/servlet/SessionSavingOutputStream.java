package io.sessionkit.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;

/**
 * The response's byte stream, telling {@link SessionSavingResponse} about every write before it
 * reaches the container, and saving the session before a flush or close commits the response.
 */
final class SessionSavingOutputStream extends ServletOutputStream {

    private final ServletOutputStream delegate;
    private final SessionSavingResponse response;

    SessionSavingOutputStream(ServletOutputStream delegate, SessionSavingResponse response) {
        this.delegate = delegate;
        this.response = response;
    }

    ServletOutputStream delegate() {
        return delegate;
    }

    @Override
    public void write(int b) throws IOException {
        response.beforeWrite(1);
        delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        response.beforeWrite(len);
        delegate.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        response.flushed();
        delegate.flush();
    }

    @Override
    public void close() throws IOException {
        response.flushed();
        delegate.close();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        delegate.setWriteListener(writeListener);
    }
}
