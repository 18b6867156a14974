package io.sessionkit.bench.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.bench.Cart;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The least a servlet can do to keep a visitor's session in Redis by hand: the cookie names a
 * random id, the session is one JSON object of its attributes (the cart and, at the larger
 * {@link SessionSize}s, the rest) under {@code cart:<id>}; a read is one {@code GETEX} (read and
 * extend, so that reading keeps the session alive as a session would), a write one
 * {@code SETEX} of the whole object with the new cart. No session object, no change tracking:
 * the benchmark's physical limit.
 */
final class HandWrittenRedisCartStorage implements CartStorage {

    static final String COOKIE = "cart_id";
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };
    private static final long TIME_TO_LIVE_SECONDS = 31L * 24 * 3600;
    private static final String KEY_ATTRIBUTE = HandWrittenRedisCartStorage.class.getName() + ".key";
    private static final String SESSION_ATTRIBUTE = HandWrittenRedisCartStorage.class.getName() + ".session";

    private final UnifiedJedis redis;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    HandWrittenRedisCartStorage(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    public List<?> read(HttpServletRequest request) {
        byte[] key = key(request);
        if (key == null) {
            return null;
        }
        byte[] json = redis.getEx(key, GetExParams.getExParams().ex(TIME_TO_LIVE_SECONDS));
        if (json == null) {
            return null;
        }
        Map<String, Object> session;
        try {
            session = mapper.readValue(json, ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("session under " + new String(key, StandardCharsets.UTF_8) + " is not JSON", e);
        }
        request.setAttribute(SESSION_ATTRIBUTE, session);
        return (List<?>) session.get(Cart.ATTRIBUTE);
    }

    @Override
    public void create(HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        response.addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=/; HttpOnly");
        store(("cart:" + value).getBytes(StandardCharsets.UTF_8), attributes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void write(HttpServletRequest request, HttpServletResponse response, List<Object> cart) {
        byte[] key = key(request);
        Map<String, Object> session = (Map<String, Object>) request.getAttribute(SESSION_ATTRIBUTE);
        if (key == null || session == null) {
            // No session (or it expired): start one, as a session filter would.
            create(request, response, Map.of(Cart.ATTRIBUTE, cart));
            return;
        }
        session.put(Cart.ATTRIBUTE, cart);
        store(key, session);
    }

    private void store(byte[] key, Map<String, Object> session) {
        try {
            redis.setex(key, TIME_TO_LIVE_SECONDS, mapper.writeValueAsBytes(session));
        } catch (IOException e) {
            throw new UncheckedIOException("session cannot be written as JSON", e);
        }
    }

    // Reads the Cookie header in place: Jetty's getCookies() parses every cookie into objects,
    // which cost this servlet a tenth of its CPU samples, and the minimum should not pay for it.
    private static byte[] key(HttpServletRequest request) {
        Object known = request.getAttribute(KEY_ATTRIBUTE);
        if (known != null) {
            return (byte[]) known;
        }
        String header = request.getHeader("Cookie");
        int at = header == null ? -1 : header.indexOf(COOKIE + "=");
        while (at > 0 && header.charAt(at - 1) != ' ' && header.charAt(at - 1) != ';') {
            at = header.indexOf(COOKIE + "=", at + 1);
        }
        if (at < 0) {
            return null;
        }
        int start = at + COOKIE.length() + 1;
        int end = header.indexOf(';', start);
        byte[] key = ("cart:" + header.substring(start, end < 0 ? header.length() : end).trim())
                .getBytes(StandardCharsets.UTF_8);
        request.setAttribute(KEY_ATTRIBUTE, key);
        return key;
    }
}
