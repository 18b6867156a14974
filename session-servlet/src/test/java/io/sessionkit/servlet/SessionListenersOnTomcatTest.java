package io.sessionkit.servlet;

/** {@link SessionListenersTest} on embedded Tomcat. */
class SessionListenersOnTomcatTest extends SessionListenersTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
