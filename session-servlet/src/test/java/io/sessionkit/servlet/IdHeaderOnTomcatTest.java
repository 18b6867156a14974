package io.sessionkit.servlet;

/** {@link IdHeaderTest} on embedded Tomcat. */
class IdHeaderOnTomcatTest extends IdHeaderTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
