package io.sessionkit.servlet;

/** {@link SessionListenersTest} on embedded Undertow. */
class SessionListenersOnUndertowTest extends SessionListenersTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
