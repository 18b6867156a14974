package io.sessionkit.servlet;

/** {@link DispatchTest} on embedded Tomcat. */
class DispatchOnTomcatTest extends DispatchTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
