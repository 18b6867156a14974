package io.sessionkit.examples.springboot;

import io.sessionkit.core.SessionInterface;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** The one page: who is logged in, how often this session has seen the page, and a logout button. */
@RestController
class VisitsController {

    private final SessionInterface sessions;

    VisitsController(SessionInterface sessions) {
        this.sessions = sessions;
    }

    @GetMapping(value = "/", produces = "text/html")
    String home(Authentication user, HttpServletRequest request) {
        HttpSession session = request.getSession();
        // Numbers come back from the JSON store as Integer or Long: read them as a Number.
        Number seen = (Number) session.getAttribute("visits");
        int visits = seen == null ? 1 : seen.intValue() + 1;
        session.setAttribute("visits", visits);
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return "<!doctype html><title>SessionKit on Spring Boot</title>"
                + "<h1>Hello, " + HtmlUtils.htmlEscape(user.getName()) + "</h1>"
                + "<p>Visits in this session: <b id=visits>" + visits + "</b></p>"
                + "<p>Sessions are kept by SessionKit's <code>" + HtmlUtils.htmlEscape(sessions.backendName())
                + "</code> backend; restart the application and you are still logged in.</p>"
                + "<form method=post action=/logout><input type=hidden name=" + csrf.getParameterName()
                + " value=" + csrf.getToken() + "><button>Log out</button></form>";
    }
}
