package io.sessionkit.servlet;

/** {@link HttpSessionMappingTest} on embedded Undertow. */
class HttpSessionMappingOnUndertowTest extends HttpSessionMappingTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
