package io.sessionkit.servlet;

/** {@link IdHeaderTest} on embedded Undertow. */
class IdHeaderOnUndertowTest extends IdHeaderTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
