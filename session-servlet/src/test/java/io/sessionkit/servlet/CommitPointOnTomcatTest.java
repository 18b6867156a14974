package io.sessionkit.servlet;

/** {@link CommitPointTest} on embedded Tomcat. */
class CommitPointOnTomcatTest extends CommitPointTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
