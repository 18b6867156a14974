package io.sessionkit.bench.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.bench.Cart;
import io.sessionkit.core.JsonSessionSerializer;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionSizeTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eachSizeHoldsAboutWhatItsNameSays() throws Exception {
        assertBetween(300, 500, json(SessionSize.CART5.newVisitor()));
        assertBetween(1_300, 1_800, json(SessionSize.CART20.newVisitor()));
        assertBetween(15_000, 17_500, json(SessionSize.APPLICATION_16K.newVisitor()));
    }

    @Test
    void theApplicationSessionCarriesTheCartOfCart20AndTheApplicationsAttributes() {
        Map<String, Object> visitor = SessionSize.APPLICATION_16K.newVisitor();

        assertEquals(List.of(Cart.ATTRIBUTE, ApplicationAttributes.CSRF_TOKEN, ApplicationAttributes.FLASH,
                ApplicationAttributes.USER), List.copyOf(visitor.keySet()));
        assertEquals(20, ((List<?>) visitor.get(Cart.ATTRIBUTE)).size());
        assertEquals(SessionSize.CART20.cartItems(), SessionSize.APPLICATION_16K.cartItems());
    }

    @ParameterizedTest
    @EnumSource(SessionSize.class)
    void everyAttributeReadsBackEqualFromSpringsJsonSerializer(SessionSize size) {
        GenericJackson2JsonRedisSerializer spring = new GenericJackson2JsonRedisSerializer();
        size.newVisitor().forEach((name, value) ->
                assertEquals(value, spring.deserialize(spring.serialize(value)), name));
    }

    @ParameterizedTest
    @EnumSource(SessionSize.class)
    void theSessionReadsBackEqualFromSessionKitsSerializer(SessionSize size) {
        JsonSessionSerializer serializer = new JsonSessionSerializer();
        Map<String, Object> visitor = size.newVisitor();

        SessionRecord read = serializer.deserialize(serializer.serialize(new SessionRecord(visitor, true)));

        assertEquals(visitor, read.attributes());
    }

    @Test
    void anUnknownSizeIsRefusedWithTheKnownOnes() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SessionSize.byLabel("64k"));

        assertEquals("unknown session size '64k'; the sizes are cart5, cart20, 16k", refused.getMessage());
    }

    private int json(Map<String, Object> attributes) throws Exception {
        return mapper.writeValueAsBytes(attributes).length;
    }

    private static void assertBetween(int low, int high, int actual) {
        assertTrue(actual >= low && actual <= high, actual + " bytes, expected " + low + " to " + high);
    }
}
