package io.sessionkit.faults;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.SessionKitFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The application under load: embedded Jetty on a free port at 127.0.0.1 with
 * {@link SessionKitFilter} in front of two servlets.
 * <ul>
 *   <li>{@code POST /count} adds one to the session's {@code count} and answers the new value;
 *       {@code GET /count} answers it unchanged ({@code 0} for a new session).</li>
 *   <li>{@code POST /note} keeps the request body, which must be UTF-8 text, in the session's
 *       {@code note}; a body that is not UTF-8 is answered {@code 400} before the session is
 *       touched.</li>
 * </ul>
 */
final class FaultApplication implements AutoCloseable {

    /** What {@code POST /note} answers to a body that is not UTF-8. */
    static final String BAD_BODY_ANSWER = "400 Bad Request: the note must be UTF-8 text\n";

    private final Server jetty;
    private final ServerConnector connector;

    private FaultApplication(SessionConfig config) throws Exception {
        // More threads than clients: a request stuck on a frozen store must not queue the others behind it.
        jetty = new Server(new QueuedThreadPool(200, 8));
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new SessionKitFilter(config)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new CountServlet()), "/count");
        context.addServlet(new ServletHolder(new NoteServlet()), "/note");
        jetty.setHandler(context);
        jetty.start();
    }

    /**
     * @param config the sessions' configuration; the filter builds and closes its engine
     * @return the running application
     * @throws Exception when Jetty or the filter cannot start
     */
    static FaultApplication start(SessionConfig config) throws Exception {
        return new FaultApplication(config);
    }

    /**
     * @param path such as {@code /count}
     * @return its address
     */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** Counts the writes of one session. */
    private static final class CountServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object count = request.getSession().getAttribute("count");
            answer(response, count == null ? 0 : ((Number) count).intValue());
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HttpSession session = request.getSession();
            Object previous = session.getAttribute("count");
            int count = previous == null ? 1 : ((Number) previous).intValue() + 1;
            session.setAttribute("count", count);
            answer(response, count);
        }

        private static void answer(HttpServletResponse response, int count) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(count);
        }
    }

    /** Keeps a text note in the session; refuses a body that is not UTF-8. */
    private static final class NoteServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String note;
            try {
                note = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(request.getInputStream().readAllBytes()))
                        .toString();
            } catch (CharacterCodingException e) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print(BAD_BODY_ANSWER);
                return;
            }
            request.getSession().setAttribute("note", note);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("kept " + note.length() + " characters\n");
        }
    }
}
