package io.sessionkit.servlet;

/** {@link AsyncSessionTest} on embedded Undertow. */
class AsyncSessionOnUndertowTest extends AsyncSessionTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
