package io.sessionkit.servlet;

/** {@link FailureResponseTest} on embedded Tomcat. */
class FailureResponseOnTomcatTest extends FailureResponseTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
