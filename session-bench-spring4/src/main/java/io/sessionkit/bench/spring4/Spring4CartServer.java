package io.sessionkit.bench.spring4;

import io.sessionkit.bench.http.CartServer;

/**
 * The load test's server for the Spring Session 4 modes: session-bench's {@link CartServer}
 * (same servlet, Jetty, seeding and options) serving a {@link Spring4Mode}.
 *
 * <pre>
 * java -cp benchmarks-spring4.jar io.sessionkit.bench.spring4.Spring4CartServer --mode=spring4-redis \
 *     --port=8080 --cookies=cookies.txt --sessions=1000 --size=cart5 --redis-port=6390
 * </pre>
 */
public final class Spring4CartServer {

    private Spring4CartServer() {
    }

    /**
     * @param args as for {@link CartServer#main(String[])}
     * @throws Exception when the server cannot start or the sessions cannot be created
     */
    public static void main(String[] args) throws Exception {
        CartServer.serve(args, Spring4Mode::byLabel);
    }
}
