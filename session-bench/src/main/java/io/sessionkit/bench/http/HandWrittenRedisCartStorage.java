package io.sessionkit.bench.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The least a servlet can do to keep a cart in Redis by hand: the cookie names a random id, the
 * cart is one JSON string under {@code cart:<id>}; a read is one {@code GETEX} (read and extend,
 * so that reading keeps the cart alive as a session would), a write one {@code SETEX}. No
 * session object, no attribute map, no change tracking: the benchmark's physical limit.
 */
final class HandWrittenRedisCartStorage implements CartStorage {

    static final String COOKIE = "cart_id";
    private static final TypeReference<List<Object>> ITEMS = new TypeReference<>() { };
    private static final long TIME_TO_LIVE_SECONDS = 31L * 24 * 3600;
    private static final String KEY_ATTRIBUTE = HandWrittenRedisCartStorage.class.getName() + ".key";

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
        try {
            return json == null ? null : mapper.readValue(json, ITEMS);
        } catch (IOException e) {
            throw new UncheckedIOException("cart under " + new String(key, StandardCharsets.UTF_8) + " is not JSON", e);
        }
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, List<Object> cart) {
        byte[] key = key(request);
        if (key == null) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
            key = ("cart:" + value).getBytes(StandardCharsets.UTF_8);
            response.addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=/; HttpOnly");
        }
        try {
            redis.setex(key, TIME_TO_LIVE_SECONDS, mapper.writeValueAsBytes(cart));
        } catch (IOException e) {
            throw new UncheckedIOException("cart cannot be written as JSON", e);
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
