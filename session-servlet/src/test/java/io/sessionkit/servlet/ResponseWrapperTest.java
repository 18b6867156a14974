package io.sessionkit.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the filter's response, writer and stream find the moment to save: every way of declaring a
 * content length, the byte count of every charset, the buffer threshold at its boundary, reset,
 * closing, and non-blocking writes, in a real Jetty. A save too late loses the cookie (the
 * response is committed); a save too early loses what the request changes afterwards, so the
 * routes change the session once more after the first part of their body.
 */
class ResponseWrapperTest {

    @TempDir
    Path storeDirectory;

    private FileSystemStore store;
    private TestServer server;
    private TestBrowser browser;
    /** A value a route saw at a point of interest, e.g. the number of saves right after a write. */
    private final CompletableFuture<Object> seenByRoute = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        store = new FileSystemStore(storeDirectory);
        server = TestServer.start(new SessionKitFilter(store.engine))
                .route("/read", (request, response) -> response.getWriter().print(
                        "via=" + request.getSession().getAttribute("via") + " late=" + request.getSession().getAttribute("late")));
        browser = new TestBrowser(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.engine.close();
    }

    private static void remember(HttpServletRequest request, String via) {
        request.getSession().setAttribute("via", via);
    }

    /** The change made after the first part of the body: saved only if the save did not come too early. */
    private static void changeLate(HttpServletRequest request) {
        request.getSession().setAttribute("late", "kept");
    }

    private Object seen() throws Exception {
        return seenByRoute.get(10, TimeUnit.SECONDS);
    }

    /** The response carries the session cookie and Vary, and the next request reads what the route stored. */
    private void assertSaved(HttpResponse<String> response, String via, String late) throws Exception {
        assertNotNull(browser.sessionSetCookie(response), "no session cookie: " + response.headers().map());
        assertEquals(1, store.backend.saves.get(), "saves");
        assertEquals("via=" + via + " late=" + late, browser.get("/read").body());
    }

    @Nested
    @DisplayName("declared content length")
    class ContentLength {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"setHeader", "addHeader", "setIntHeader", "addIntHeader", "lower-case header name"})
        void aLengthDeclaredAsAHeaderSavesWhenTheBodyIsCompleteNotBefore(String how) throws Exception {
            server.route("/declared", (request, response) -> {
                remember(request, how);
                byte[] body = "exactly 22 bytes long.".getBytes(StandardCharsets.UTF_8);
                switch (how) {
                    case "setHeader" -> response.setHeader("Content-Length", "22");
                    case "addHeader" -> response.addHeader("Content-Length", "22");
                    case "setIntHeader" -> response.setIntHeader("Content-Length", 22);
                    case "addIntHeader" -> response.addIntHeader("Content-Length", 22);
                    default -> response.setHeader("content-length", "22");
                }
                ServletOutputStream out = response.getOutputStream();
                out.write(body, 0, 11);
                changeLate(request);
                out.write(body, 11, 11);
                seenByRoute.complete(response.isCommitted());
            });
            HttpResponse<String> response = browser.get("/declared");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("exactly 22 bytes long.", response.body());
            assertEquals("22", response.headers().firstValue("Content-Length").orElse(null));
            assertEquals(true, seen(), "the container knew the length, so it completed the response with its last byte");
            assertSaved(response, how, "kept");
        }

        /** Regression: the container completed the response inside setContentLength, before the session was saved. */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"setContentLength", "setContentLengthLong", "setHeader", "setIntHeader"})
        void aLengthDeclaredWhenTheBodyIsAlreadyWrittenSavesBeforeTheContainerCompletesTheResponse(String how) throws Exception {
            server.route("/declared-after", (request, response) -> {
                remember(request, "declared-after");
                response.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                switch (how) {
                    case "setContentLength" -> response.setContentLength(5);
                    case "setContentLengthLong" -> response.setContentLengthLong(5);
                    case "setHeader" -> response.setHeader("Content-Length", "5");
                    default -> response.setIntHeader("Content-Length", 5);
                }
            });
            HttpResponse<String> response = browser.get("/declared-after");
            assertEquals("hello", response.body());
            assertSaved(response, "declared-after", "null");
        }

        @Test
        void aLengthOfZeroSavesAtOnce() throws Exception {
            server.route("/declared-zero", (request, response) -> {
                remember(request, "declared-zero");
                response.setContentLengthLong(0);
                seenByRoute.complete(store.backend.saves.get());
            });
            HttpResponse<String> response = browser.get("/declared-zero");
            assertEquals("", response.body());
            assertEquals(1, seen());
            assertSaved(response, "declared-zero", "null");
        }

        @Test
        void aLengthThatIsRemovedAgainNoLongerCounts() throws Exception {
            server.route("/declared-removed", (request, response) -> {
                remember(request, "declared-removed");
                response.setHeader("Content-Length", "5");
                response.setHeader("Content-Length", null);
                ServletOutputStream out = response.getOutputStream();
                out.write("hello".getBytes(StandardCharsets.UTF_8));
                changeLate(request);
                out.write(" world".getBytes(StandardCharsets.UTF_8));
            });
            HttpResponse<String> response = browser.get("/declared-removed");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("hello world", response.body());
            assertSaved(response, "declared-removed", "kept");
        }
    }

    @Nested
    @DisplayName("the buffer threshold")
    class BufferThreshold {

        private void writeInOneGo(HttpServletRequest request, HttpServletResponse response, int bytes) throws IOException {
            remember(request, "threshold");
            byte[] chunk = new byte[bytes];
            Arrays.fill(chunk, (byte) 'x');
            response.getOutputStream().write(chunk);
            seenByRoute.complete(store.backend.saves.get());
        }

        @Test
        void aWriteOfAQuarterOfTheBufferSavesFirst() throws Exception {
            server.route("/quarter", (request, response) -> writeInOneGo(request, response, response.getBufferSize() / 4));
            HttpResponse<String> response = browser.get("/quarter");
            assertEquals(1, seen(), "saved by the write");
            assertSaved(response, "threshold", "null");
        }

        @Test
        void aSmallerWriteIsLeftToTheBuffer() throws Exception {
            server.route("/under-quarter", (request, response) -> writeInOneGo(request, response, response.getBufferSize() / 4 - 1));
            HttpResponse<String> response = browser.get("/under-quarter");
            assertEquals(0, seen(), "not saved by the write");
            assertSaved(response, "threshold", "null");
        }
    }

    @Nested
    @DisplayName("errors, reset and the wrapped stream and writer")
    class ErrorsAndReset {

        @ParameterizedTest(name = "with message: {0}")
        @ValueSource(booleans = {false, true})
        void sendErrorSavesBeforeTheErrorIsSent(boolean withMessage) throws Exception {
            server.route("/error", (request, response) -> {
                remember(request, "error");
                if (withMessage) {
                    response.sendError(404, "not here on purpose");
                } else {
                    response.sendError(404);
                }
                seenByRoute.complete(store.backend.saves.get());
            });
            HttpResponse<String> response = browser.get("/error");
            assertEquals(404, response.statusCode());
            assertEquals(1, seen(), "saved by sendError");
            assertSaved(response, "error", "null");
        }

        @Test
        void theSessionHeadersSurviveAResetAfterTheSave() throws Exception {
            server.route("/reset", (request, response) -> {
                remember(request, "reset");
                response.getOutputStream().write(new byte[response.getBufferSize() / 4]); // saves, not yet committed
                response.reset();
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print("after reset");
            });
            HttpResponse<String> response = browser.get("/reset");
            assertEquals("after reset", response.body());
            assertTrue(response.headers().allValues("Vary").contains("Cookie"), response.headers().map().toString());
            assertSaved(response, "reset", "null");
        }

        @Test
        void resetBufferDiscardsWhatWasWritten() throws Exception {
            server.route("/reset-buffer", (request, response) -> {
                remember(request, "reset-buffer");
                response.getWriter().print("discarded");
                response.resetBuffer();
                response.getWriter().print("kept");
            });
            HttpResponse<String> response = browser.get("/reset-buffer");
            assertEquals("kept", response.body());
            assertSaved(response, "reset-buffer", "null");
        }

        @Test
        void theStreamIsOneObjectForTheWholeRequest() throws Exception {
            server.route("/same-stream", (request, response) -> {
                ServletOutputStream first = response.getOutputStream();
                first.print("same=" + (first == response.getOutputStream()));
            });
            assertEquals("same=true", browser.get("/same-stream").body());
        }

        @Test
        void theWriterIsOneObjectForTheWholeRequest() throws Exception {
            server.route("/same-writer", (request, response) -> {
                PrintWriter first = response.getWriter();
                first.print("same=" + (first == response.getWriter()));
            });
            assertEquals("same=true", browser.get("/same-writer").body());
        }
    }

    @Nested
    @DisplayName("the writer")
    class Writer {

        /**
         * Declares the exact encoded length of {@code first + "!"}, writes {@code first}, changes the
         * session and writes the last byte: counting one byte too many saves before the change, one
         * too few never saves before the container completes the response.
         */
        private void writeCounted(String charset, String first) throws Exception {
            server.route("/counted", (request, response) -> {
                remember(request, charset);
                response.setContentType("text/plain");
                response.setCharacterEncoding(charset);
                response.setContentLength((first + "!").getBytes(Charset.forName(charset)).length);
                PrintWriter writer = response.getWriter();
                writer.print(first);
                changeLate(request);
                writer.print("!");
            });
            HttpResponse<String> response = browser.get("/counted");
            assertEquals(200, response.statusCode());
            assertEquals(first + "!", response.body(), "decoded by the charset of the Content-Type");
            assertSaved(response, charset, "kept");
        }

        @Test
        void utf8CharactersOfEveryEncodedWidthAreCountedExactly() throws Exception {
            // 1 byte up to U+007F, 2 from U+0080 to U+07FF, 3 from U+0800, 4 for a surrogate pair.
            writeCounted("UTF-8", "a\u007f\u0080\u07ff\u0800\u20ac\ud83d\ude00z");
        }

        @Test
        void singleByteCharsetsCountOneBytePerCharacter() throws Exception {
            writeCounted("ISO-8859-1", "gr\u00fc\u00dfe");
        }

        @Test
        void otherCharsetsAreCountedByEncoding() throws Exception {
            writeCounted("UTF-16BE", "ab\u20ac");
        }

        @Test
        void singleCharactersAndCharacterArraysAreCounted() throws Exception {
            server.route("/chars", (request, response) -> {
                remember(request, "chars");
                response.setContentLength(6);
                PrintWriter writer = response.getWriter();
                writer.write('o');
                writer.write('k');
                writer.write(new char[] {'x', 'a', 'b', 'c'}, 1, 3);
                changeLate(request);
                writer.write(new char[] {'!'});
            });
            HttpResponse<String> response = browser.get("/chars");
            assertEquals("okabc!", response.body());
            assertSaved(response, "chars", "kept");
        }

        @Test
        void printlnEndsLinesWithTheLineSeparator() throws Exception {
            server.route("/lines", (request, response) -> {
                PrintWriter writer = response.getWriter();
                writer.println("a");
                writer.println(2);
                writer.println();
            });
            String separator = System.lineSeparator();
            assertEquals("a" + separator + "2" + separator + separator, browser.get("/lines").body());
        }

        @Test
        void closingTheWriterSavesFirstAndEndsTheBody() throws Exception {
            server.route("/close-writer", (request, response) -> {
                remember(request, "close-writer");
                PrintWriter writer = response.getWriter();
                writer.print("body");
                writer.close();
                writer.print(" more");
                seenByRoute.complete(writer.checkError());
            });
            HttpResponse<String> response = browser.get("/close-writer");
            assertEquals("body", response.body());
            assertEquals(true, seen(), "writing after close is an error of the writer");
            assertSaved(response, "close-writer", "null");
        }
    }

    @Nested
    @DisplayName("the output stream")
    class OutputStream {

        @Test
        void singleBytesAreCounted() throws Exception {
            server.route("/bytes", (request, response) -> {
                remember(request, "bytes");
                response.setContentLength(3);
                ServletOutputStream out = response.getOutputStream();
                out.write('o');
                out.write('k');
                changeLate(request);
                out.write('!');
            });
            HttpResponse<String> response = browser.get("/bytes");
            assertEquals("ok!", response.body());
            assertSaved(response, "bytes", "kept");
        }

        @Test
        void closingTheStreamSavesFirstAndEndsTheBody() throws Exception {
            server.route("/close-stream", (request, response) -> {
                remember(request, "close-stream");
                ServletOutputStream out = response.getOutputStream();
                out.print("body");
                out.close();
                try {
                    out.print(" more");
                    seenByRoute.complete("written after close");
                } catch (IOException closed) {
                    seenByRoute.complete("refused after close");
                }
            });
            HttpResponse<String> response = browser.get("/close-stream");
            assertEquals("body", response.body());
            assertEquals("refused after close", seen());
            assertSaved(response, "close-stream", "null");
        }

        @Test
        void nonBlockingWritesWork() throws Exception {
            server.route("/async", (request, response) -> {
                remember(request, "async");
                AsyncContext async = request.startAsync();
                async.setTimeout(5_000);
                ServletOutputStream out = response.getOutputStream();
                out.setWriteListener(new WriteListener() {
                    @Override
                    public void onWritePossible() throws IOException {
                        if (out.isReady()) {
                            out.write("written when ready".getBytes(StandardCharsets.UTF_8));
                            async.complete();
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                        async.complete();
                    }
                });
            });
            HttpResponse<String> response = browser.get("/async");
            assertEquals(200, response.statusCode());
            assertEquals("written when ready", response.body());
            assertSaved(response, "async", "null");
        }
    }
}
