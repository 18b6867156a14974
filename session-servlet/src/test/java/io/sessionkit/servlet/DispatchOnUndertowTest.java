package io.sessionkit.servlet;

/** {@link DispatchTest} on embedded Undertow. */
class DispatchOnUndertowTest extends DispatchTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
