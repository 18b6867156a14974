package io.sessionkit.filesystem;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The layout of a session file: a header naming the store key and the principal (the logged-in
 * user) the session belongs to, then the bytes the engine saved.
 *
 * <pre>
 * magic      8 bytes  00 53 4B 46 0D 0A 1A 0A  ("\0SKF\r\n^Z\n")
 * version    1 byte   1 or 2
 * lifetime   version 2 only: 8 bytes, the time to live in nanoseconds, big-endian
 * key        2-byte length, then the key in modified UTF-8 (as DataOutput.writeUTF)
 * principal  1 byte: 0 for none, 1 for one, then the principal as the key
 * value      the rest of the file
 * </pre>
 *
 * <p>A file's expiry is its last-modified time plus its lifetime, the session's time to live:
 * the last-modified time is when the session was last written or touched, and a touch sets it to
 * the new expiry less the lifetime. So a save with the system clock need not set the file's times:
 * the kernel's time of the write is right. This release writes version 2; a version 1 file (of an
 * earlier release) names no lifetime, and its last-modified time is its expiry, as is a file of
 * the previous release's. Releases before this one read a version 2 file as no session.
 *
 * <p>Files of the previous release hold the value alone. They are told apart by the magic: it
 * starts with a NUL byte, which neither a JSON text nor a MessagePack or CBOR map (what a session
 * serializer writes) starts with, followed by bytes no text format has at that place. Such a file
 * reads as a value with no key and no principal.
 *
 * <p>Strings are in modified UTF-8 so that any Java string, one holding an unpaired surrogate
 * included, reads back equal; a key or principal is at most 65535 bytes in that encoding.
 */
final class SessionFileFormat {

    static final byte[] MAGIC = {0x00, 'S', 'K', 'F', '\r', '\n', 0x1A, '\n'};
    static final byte VERSION = 1;
    /** The version whose header holds a lifetime. */
    static final byte VERSION_WITH_LIFETIME = 2;

    /**
     * What a file's first bytes say.
     *
     * @param key       the store key; {@code null} for a file of the previous release, or an
     *                  unreadable one
     * @param principal the principal, or {@code null} for none
     * @param length    where the value starts; {@code -1} for an unreadable file
     * @param lifetime  what is added to the last-modified time for the expiry: zero in a file
     *                  of an earlier release
     */
    record Header(String key, String principal, int length, Duration lifetime) {

        /** A file of the previous release: all of it is the value. */
        static final Header PREVIOUS_RELEASE = new Header(null, null, 0, Duration.ZERO);
        /** A file that starts with the magic but whose header this release cannot read. */
        static final Header UNREADABLE = new Header(null, null, -1, Duration.ZERO);

        boolean readable() {
            return length >= 0;
        }
    }

    private SessionFileFormat() {
    }

    /**
     * @param key       the store key
     * @param principal the session's principal, or {@code null}
     * @return the header of a version 1 session file, as an earlier release wrote it: its
     *         last-modified time is its expiry
     * @throws IllegalArgumentException when the key or principal is longer than 65535 bytes
     */
    static byte[] header(String key, String principal) {
        return header(key, principal, null);
    }

    /**
     * @param lifetime the time to live from the file's last-modified time, not negative; or
     *                 {@code null} for a version 1 header
     * @return the header of a session file whose expiry is its last-modified time plus
     *         {@code lifetime}: version 2, or version 1 for {@code null}
     * @throws IllegalArgumentException when the key or principal is longer than 65535 bytes, or
     *                                  the lifetime negative
     */
    static byte[] header(String key, String principal, Duration lifetime) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAGIC.length + 12 + key.length() + 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            if (lifetime == null) {
                out.writeByte(VERSION);
            } else {
                out.writeByte(VERSION_WITH_LIFETIME);
                out.writeLong(nanos(lifetime));
            }
            writeText(out, "key", key);
            out.writeBoolean(principal != null);
            if (principal != null) {
                writeText(out, "principal", principal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to be written", e);
        }
        return bytes.toByteArray();
    }

    private static void writeText(DataOutputStream out, String what, String text) throws IOException {
        try {
            out.writeUTF(text);
        } catch (UTFDataFormatException tooLong) {
            throw new IllegalArgumentException("a session file holds a " + what + " of at most 65535 bytes (modified"
                    + " UTF-8), not one of " + text.length() + " characters starting '" + abbreviate(text) + "'");
        }
    }

    /** @return the lifetime in nanoseconds, as long as a {@code long} holds (about 292 years) */
    private static long nanos(Duration lifetime) {
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("a negative lifetime: " + lifetime);
        }
        try {
            return lifetime.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /**
     * Reads the header at the start of a file's bytes.
     *
     * @param bytes  the file's first bytes, or all of them
     * @param length how many of {@code bytes} were read
     * @param whole  whether that is the whole file
     * @return the header; {@link Header#PREVIOUS_RELEASE} when the bytes do not start with the
     *         magic; {@link Header#UNREADABLE} for a header of an unknown version or a corrupt one;
     *         {@code null} when the bytes are not the whole file and end before the header does
     */
    static Header parse(byte[] bytes, int length, boolean whole) {
        int magic = Math.min(length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, magic, MAGIC, 0, magic) || length == 0) {
            return Header.PREVIOUS_RELEASE;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        try {
            in.position(MAGIC.length);
            byte version = in.get();
            Duration lifetime = Duration.ZERO;
            if (version == VERSION_WITH_LIFETIME) {
                long nanos = in.getLong();
                if (nanos < 0) {
                    return Header.UNREADABLE;
                }
                lifetime = Duration.ofNanos(nanos);
            } else if (version != VERSION) {
                return Header.UNREADABLE; // written by a newer release
            }
            String key = readText(in);
            String principal = switch (in.get()) {
                case 0 -> null;
                case 1 -> readText(in);
                default -> throw new UTFDataFormatException("a principal flag other than 0 or 1");
            };
            return new Header(key, principal, in.position(), lifetime);
        } catch (BufferUnderflowException | IllegalArgumentException cutShort) {
            // A file is renamed into place whole: a short one that starts with the magic was made so.
            return whole ? Header.UNREADABLE : null;
        } catch (UTFDataFormatException corrupt) {
            return Header.UNREADABLE;
        }
    }

    /** @return the text at the buffer's position, which moves past it */
    private static String readText(ByteBuffer in) throws UTFDataFormatException {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] text = new byte[length + 2];
        text[0] = (byte) (length >> 8);
        text[1] = (byte) length;
        in.get(text, 2, length);
        try {
            return new DataInputStream(new ByteArrayInputStream(text)).readUTF();
        } catch (UTFDataFormatException corrupt) {
            throw corrupt;
        } catch (IOException impossible) {
            throw new UncheckedIOException("a byte array cannot fail to be read", impossible);
        }
    }

    /**
     * The bytes that name a principal in the index: the same encoding as the header's, so that
     * two different strings never share an index directory.
     */
    static byte[] principalBytes(String principal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(principal.length() + 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeText(out, "principal", principal);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to be written", e);
        }
        return bytes.toByteArray();
    }
}
