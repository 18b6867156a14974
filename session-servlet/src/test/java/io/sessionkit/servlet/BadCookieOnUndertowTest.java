package io.sessionkit.servlet;

/** {@link BadCookieTest} on embedded Undertow. */
class BadCookieOnUndertowTest extends BadCookieTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
