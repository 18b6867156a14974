package io.sessionkit.servlet;

/** {@link FailureResponseTest} on embedded Undertow. */
class FailureResponseOnUndertowTest extends FailureResponseTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
