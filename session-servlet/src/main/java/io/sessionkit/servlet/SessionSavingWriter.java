package io.sessionkit.servlet;

import java.io.PrintWriter;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The response's character writer, telling {@link SessionSavingResponse} how many bytes each
 * write will encode to before it reaches the container, and saving the session before a flush
 * or close commits the response. Every {@code print}, {@code println}, {@code format} and
 * {@code append} of {@link PrintWriter} ends in one of the overridden methods.
 */
final class SessionSavingWriter extends PrintWriter {

    private final PrintWriter delegate;
    private final Charset charset;
    private final SessionSavingResponse response;

    SessionSavingWriter(PrintWriter delegate, Charset charset, SessionSavingResponse response) {
        super(delegate);
        this.delegate = delegate;
        this.charset = charset;
        this.response = response;
    }

    PrintWriter delegate() {
        return delegate;
    }

    @Override
    public void write(int c) {
        if (response.countsWrites()) {
            response.beforeWrite(encodedLength(CharBuffer.wrap(new char[] {(char) c})));
        }
        super.write(c);
    }

    @Override
    public void write(char[] buf, int off, int len) {
        if (response.countsWrites()) {
            response.beforeWrite(encodedLength(CharBuffer.wrap(buf, off, len)));
        }
        super.write(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
        if (response.countsWrites()) {
            response.beforeWrite(encodedLength(CharBuffer.wrap(s, off, off + len)));
        }
        super.write(s, off, len);
    }

    @Override
    public void println() {
        // PrintWriter's own println writes the line separator past the overridden methods.
        write(System.lineSeparator());
    }

    @Override
    public void flush() {
        response.flushed();
        super.flush();
    }

    @Override
    public void close() {
        response.flushed();
        super.close();
    }

    private long encodedLength(CharBuffer chars) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            return utf8Length(chars);
        }
        if (charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII)) {
            return chars.remaining();
        }
        return charset.encode(chars).remaining();
    }

    private static long utf8Length(CharSequence chars) {
        long bytes = 0;
        for (int i = 0, n = chars.length(); i < n; i++) {
            char c = chars.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
