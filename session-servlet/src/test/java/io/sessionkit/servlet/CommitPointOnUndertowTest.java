package io.sessionkit.servlet;

/** {@link CommitPointTest} on embedded Undertow. */
class CommitPointOnUndertowTest extends CommitPointTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.UNDERTOW;
    }
}
