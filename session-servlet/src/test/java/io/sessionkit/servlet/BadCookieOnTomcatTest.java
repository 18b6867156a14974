package io.sessionkit.servlet;

/** {@link BadCookieTest} on embedded Tomcat. */
class BadCookieOnTomcatTest extends BadCookieTest {

    @Override
    ServletContainer.Kind container() {
        return ServletContainer.Kind.TOMCAT;
    }
}
