package io.sessionkit.faults;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A counting client that, between its own counts, sends what the application must refuse
 * without harm to anyone: a note larger than {@code SESSION_MAX_SIZE} on its session, a note
 * that is not UTF-8, and a session cookie that is not a session id. Their documented answers:
 * <ul>
 *   <li>too large: {@code 500} "the session is too large to be saved" from
 *       {@code SessionKitFilter}, the stored session left as it was ({@code 503} instead while
 *       the store cannot load the session);</li>
 *   <li>not UTF-8: the application's {@code 400}, before the session is touched, so even while
 *       the store is down;</li>
 *   <li>a cookie that is not an id: a new, empty session ({@code 200}, count 0), without a
 *       store round trip, so even while the store is down.</li>
 * </ul>
 * Any other answer is a {@linkplain #problems() problem}. The client's own counter is checked
 * like every other client's, which shows that a refused request left its stored session as it
 * was.
 */
final class MisbehavingClient extends CountingClient {

    /** Not base64url, and a path besides: the engine must refuse it before it reaches a store. */
    static final String BAD_COOKIE = "..%2F..%2Fetc%2Fpasswd";
    private static final byte[] NOT_UTF8 = {'n', 'o', 't', 'e', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF};

    private final byte[] oversizedNote;

    /**
     * @param maxSessionSize {@code SESSION_MAX_SIZE} of the application, in bytes
     */
    MisbehavingClient(String name, HttpClient http, FaultApplication application, LoadLimits limits, AtomicBoolean stop,
                      int maxSessionSize) {
        super(name, http, application, limits, stop);
        oversizedNote = new byte[maxSessionSize + 1];
        Arrays.fill(oversizedNote, (byte) 'x');
    }

    @Override
    protected void step(int step) {
        switch (step % 4) {
            case 0 -> count();
            case 1 -> oversizedNote();
            case 2 -> badBody();
            default -> badCookie();
        }
    }

    private void oversizedNote() {
        HttpResponse<String> response = send(Answer.Kind.OVERSIZED_NOTE,
                request("/note").POST(HttpRequest.BodyPublishers.ofByteArray(oversizedNote))).response();
        if (response == null) {
            return;
        }
        boolean refused = response.statusCode() == 500 && response.body().contains("too large");
        boolean storeDown = response.statusCode() == 503;
        if (!refused && !storeDown) {
            problem("an oversized note was answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void badBody() {
        HttpResponse<String> response = send(Answer.Kind.BAD_BODY,
                request("/note").POST(HttpRequest.BodyPublishers.ofByteArray(NOT_UTF8))).response();
        if (response != null && (response.statusCode() != 400 || !response.body().equals(FaultApplication.BAD_BODY_ANSWER))) {
            problem("a note that is not UTF-8 was answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void badCookie() {
        HttpResponse<String> response = send(Answer.Kind.BAD_COOKIE,
                requestWithoutSession("/count").header("Cookie", COOKIE_NAME + "=" + BAD_COOKIE).GET()).response();
        if (response != null && (response.statusCode() != 200 || !response.body().equals("0"))) {
            problem("a cookie that is not a session id was answered " + response.statusCode() + ": " + response.body());
        }
    }
}
