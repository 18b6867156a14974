package io.sessionkit.servlet;

/** {@link AsyncSessionTest} on embedded Tomcat. */
class AsyncSessionOnTomcatTest extends AsyncSessionTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
