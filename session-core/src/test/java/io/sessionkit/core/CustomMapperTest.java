package io.sessionkit.core;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.impl.LaissezFaireSubTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.sessionkit.SessionConfigException;
import io.sessionkit.spi.SessionRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An application's own {@link ObjectMapper} for the json format: modules it registers are used,
 * modules merely on the class path are not, and a mapper that lets the data name classes is
 * refused at start-up.
 */
class CustomMapperTest {

    /** A value the module below writes in its own way, to see whether the module is in use. */
    record Marked(String name) {
    }

    /** Found through {@code META-INF/services/com.fasterxml.jackson.databind.Module} in the test resources. */
    public static final class ClassPathModule extends SimpleModule {
        public ClassPathModule() {
            super("class-path-module");
            addSerializer(Marked.class, new StdSerializer<>(Marked.class) {
                @Override
                public void serialize(Marked value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                    generator.writeString("module:" + value.name());
                }
            });
        }
    }

    private static String written(JsonSessionSerializer json) {
        return new String(json.serialize(new SessionRecord(Map.of("m", new Marked("ada")), false)), StandardCharsets.UTF_8);
    }

    @Test
    void aModuleOnTheClassPathIsNotPickedUp() {
        assertEquals("{\"version\":0,\"permanent\":false,\"data\":{\"m\":{\"name\":\"ada\"}}}",
                written(new JsonSessionSerializer()));
    }

    @Test
    void aModuleRegisteredOnAHandedInMapperIsUsed() {
        ObjectMapper mapper = JsonMapper.builder().addModule(new ClassPathModule()).build();
        assertEquals("{\"version\":0,\"permanent\":false,\"data\":{\"m\":\"module:ada\"}}", written(new JsonSessionSerializer(mapper)));
    }

    @Test
    void aHandedInMapperGetsTheLimitsButIsNotChanged() {
        ObjectMapper mapper = new ObjectMapper();
        JsonSessionSerializer json = new JsonSessionSerializer(mapper);
        assertEquals(StreamReadConstraints.defaults().getMaxNestingDepth(),
                mapper.getFactory().streamReadConstraints().getMaxNestingDepth(), "the application's mapper is untouched");
        int depth = SessionJsonMapper.MAX_NESTING_DEPTH;
        assertThrows(RuntimeException.class, () -> json.deserialize(("{\"data\":{\"a\":" + "[".repeat(depth) + "]".repeat(depth)
                + "}}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMapperWithDefaultTypingIsRefusedSayingWhyAndWhatToDo() {
        List<Supplier<ObjectMapper>> typed = List.of(
                () -> new ObjectMapper().activateDefaultTyping(LaissezFaireSubTypeValidator.instance),
                () -> new ObjectMapper().activateDefaultTyping(LaissezFaireSubTypeValidator.instance,
                        ObjectMapper.DefaultTyping.EVERYTHING, JsonTypeInfo.As.PROPERTY),
                () -> new ObjectMapper().activateDefaultTypingAsProperty(LaissezFaireSubTypeValidator.instance,
                        ObjectMapper.DefaultTyping.NON_FINAL, "@class"),
                CustomMapperTest::legacyDefaultTyping,
                () -> JsonMapper.builder().activateDefaultTyping(LaissezFaireSubTypeValidator.instance).build());
        for (Supplier<ObjectMapper> mapper : typed) {
            SessionConfigException error = assertThrows(SessionConfigException.class,
                    () -> new JsonSessionSerializer(mapper.get()));
            assertTrue(error.getMessage().contains("it has default typing enabled"), error.getMessage());
            assertTrue(error.getMessage().contains("remote-code-execution"), error.getMessage());
            assertTrue(error.getMessage().contains("Hand in a mapper without default typing"), error.getMessage());
        }
    }

    @SuppressWarnings("deprecation")
    private static ObjectMapper legacyDefaultTyping() {
        return new ObjectMapper().enableDefaultTyping();
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    interface Typed {
    }

    @Test
    void aMapperThatAddsTypesToEveryValueThroughAMixInIsRefused() {
        ObjectMapper mapper = new ObjectMapper().addMixIn(Object.class, Typed.class);
        SessionConfigException error = assertThrows(SessionConfigException.class, () -> new JsonSessionSerializer(mapper));
        assertTrue(error.getMessage().contains("mix-in for java.lang.Object"), error.getMessage());
    }

    @Test
    void theEngineRefusesToStartWithSuchAMapper() {
        ObjectMapper mapper = new ObjectMapper().activateDefaultTyping(LaissezFaireSubTypeValidator.instance);
        assertThrows(SessionConfigException.class, () -> SessionInterface.builder(SessionConfig.builder().build())
                .backend(new CountingMemoryBackend()).serializer(new JsonSessionSerializer(mapper)).build());
    }
}
