package io.sessionkit.servlet;

/** {@link HttpSessionMappingTest} on embedded Tomcat. */
class HttpSessionMappingOnTomcatTest extends HttpSessionMappingTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
