package io.sessionkit.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionCookieValuesTest {

    private static List<String> find(String... headers) {
        return SessionCookieValues.find(List.of(headers).iterator(), "session");
    }

    @Test
    void findsTheCookieAmongOthers() {
        assertEquals(List.of("abc"), find("theme=dark; session=abc; lang=en"));
        assertEquals(List.of("abc"), find("session=abc"));
        assertEquals(List.of("abc"), find("theme=dark;session=abc"));
    }

    @Test
    void ignoresCookiesWhoseNameOnlyStartsOrEndsWithTheName() {
        assertEquals(List.of(), find("sessionid=1; xsession=2; session_old=3; session"));
        assertEquals(List.of("4"), find("sessionid=1; xsession=2; session=4"));
    }

    @Test
    void returnsEveryCookieOfTheNameInOrderAcrossHeaders() {
        assertEquals(List.of("a", "b", "c"), find("session=a; x=1; session=b", "session=c"));
    }

    @Test
    void toleratesQuotesSpacesAndEmptyValues() {
        assertEquals(List.of("abc"), find("session=\"abc\""));
        assertEquals(List.of("abc"), find("  session = abc  ; x=y"));
        assertEquals(List.of(""), find("session="));
        assertEquals(List.of("a=b"), find("session=a=b"));
    }

    @Test
    void noHeadersNoValues() {
        assertEquals(List.of(), find());
        assertEquals(List.of(), SessionCookieValues.find(null, "session"));
        assertEquals(List.of(), find(""));
        assertEquals(List.of(), find(";;;"));
    }

    @Test
    void aHeaderMayStartWithASeparatorOrEndWithSpaces() {
        assertEquals(List.of("abc"), find(";session=abc"));
        assertEquals(List.of("abc"), find("theme=dark; session=abc; "));
        assertEquals(List.of(), find("theme=dark; "));
    }

    @Test
    void tabsCountAsSpaces() {
        assertEquals(List.of("abc"), find("x=1;\tsession\t=\tabc\t"));
    }

    @Test
    void aNameWithSpacesButNoValueIsNoCookie() {
        assertEquals(List.of(), find("session "));
        assertEquals(List.of(), find("session  ; x=1"));
        assertEquals(List.of(), find("sessionx = 1"));
    }

    @Test
    void anEmptyValueAfterSpacesIsEmpty() {
        assertEquals(List.of(""), find("session = "));
        assertEquals(List.of(""), find("session ="));
    }

    @Test
    void onlyAPairOfQuotesAroundTheValueIsRemoved() {
        assertEquals(List.of(""), find("session=\"\""));
        assertEquals(List.of("\""), find("session=\""));
        assertEquals(List.of("\"abc"), find("session=\"abc"));
    }

    @Test
    void aMissingHeaderValueIsSkipped() {
        List<String> headers = new java.util.ArrayList<>();
        headers.add("session=a");
        headers.add(null);
        headers.add("session=b");
        assertEquals(List.of("a", "b"), SessionCookieValues.find(headers.iterator(), "session"));
    }
}
