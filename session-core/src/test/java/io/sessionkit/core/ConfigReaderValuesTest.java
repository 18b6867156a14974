package io.sessionkit.core;

import io.sessionkit.SessionConfigException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The typed reads a store provider makes of its own keys, through {@link SessionConfig#reader()}:
 * each returns the value, or the default together with a recorded problem naming key, value and
 * what is allowed.
 */
class ConfigReaderValuesTest {

    private static ConfigReader reader(String key, Object value) {
        return SessionConfig.builder().set(key, value).build().reader();
    }

    private static ConfigReader empty() {
        return SessionConfig.builder().build().reader();
    }

    @Nested
    @DisplayName("booleans")
    class Booleans {

        @ParameterizedTest
        @ValueSource(strings = {"true", "TRUE", "yes", "On", "1", " true "})
        void trueWords(String word) {
            ConfigReader reader = reader("SESSION_X", word);
            assertTrue(reader.bool("SESSION_X", false));
            assertEquals(List.of(), reader.problems());
        }

        @ParameterizedTest
        @ValueSource(strings = {"false", "False", "no", "OFF", "0"})
        void falseWords(String word) {
            ConfigReader reader = reader("SESSION_X", word);
            assertFalse(reader.bool("SESSION_X", true));
            assertEquals(List.of(), reader.problems());
        }

        @Test
        void typedBooleansAreTakenAsTheyAre() {
            assertTrue(reader("SESSION_X", Boolean.TRUE).bool("SESSION_X", false));
            assertFalse(reader("SESSION_X", Boolean.FALSE).bool("SESSION_X", true));
        }

        @Test
        void anUnsetKeyGivesTheDefault() {
            assertTrue(empty().bool("SESSION_X", true));
            assertFalse(empty().bool("SESSION_X", false));
        }

        @Test
        void anotherWordGivesTheDefaultAndAProblem() {
            ConfigReader reader = reader("SESSION_X", "maybe");
            assertTrue(reader.bool("SESSION_X", true));
            assertFalse(reader.bool("SESSION_X", false));
            assertEquals("SESSION_X was 'maybe' but it must be true or false", reader.problems().get(0));
        }
    }

    @Nested
    @DisplayName("whole numbers")
    class WholeNumbers {

        @Test
        void theBoundsAreInclusive() {
            assertEquals(1, reader("SESSION_X", "1").longValue("SESSION_X", 5, 1, 10));
            assertEquals(10, reader("SESSION_X", "10").longValue("SESSION_X", 5, 1, 10));
            assertEquals(7, reader("SESSION_X", " 7 ").integer("SESSION_X", 5, 1, 10));
        }

        @Test
        void valuesOutsideTheBoundsGiveTheDefaultAndAProblem() {
            ConfigReader below = reader("SESSION_X", "0");
            assertEquals(5, below.longValue("SESSION_X", 5, 1, 10));
            assertEquals(List.of("SESSION_X was '0' but it must be a whole number from 1 to 10"), below.problems());
            ConfigReader above = reader("SESSION_X", "11");
            assertEquals(5, above.longValue("SESSION_X", 5, 1, 10));
            assertEquals(1, above.problems().size());
        }

        @Test
        void typedNumbersAreTakenAsTheyAre() {
            assertEquals(8, reader("SESSION_X", 8).integer("SESSION_X", 5, 1, 10));
            assertEquals(9L, reader("SESSION_X", 9L).longValue("SESSION_X", 5, 1, 10));
        }

        @Test
        void textThatIsNoNumberGivesTheDefaultAndAProblem() {
            ConfigReader reader = reader("SESSION_X", "ten");
            assertEquals(5, reader.integer("SESSION_X", 5, 1, Integer.MAX_VALUE));
            assertEquals(List.of("SESSION_X was 'ten' but it must be a whole number of at least 1"), reader.problems());
        }

        @Test
        void anUnsetKeyGivesTheDefault() {
            ConfigReader reader = empty();
            assertEquals(5, reader.longValue("SESSION_X", 5, 1, 10));
            assertEquals(List.of(), reader.problems());
        }
    }

    @Nested
    @DisplayName("durations")
    class Durations {

        @Test
        void secondsIsoTextDurationsAndNumbersAreRead() {
            assertEquals(Duration.ofSeconds(90), reader("SESSION_X", "90").duration("SESSION_X", Duration.ZERO));
            assertEquals(Duration.ofMinutes(5), reader("SESSION_X", "pt5m").duration("SESSION_X", Duration.ZERO));
            assertEquals(Duration.ofSeconds(30), reader("SESSION_X", 30).duration("SESSION_X", Duration.ZERO));
            assertEquals(Duration.ofMillis(1500), reader("SESSION_X", Duration.ofMillis(1500)).duration("SESSION_X", Duration.ZERO));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-5", "PT0S", "-PT1M", "soon"})
        void zeroNegativeAndUnreadableDurationsGiveTheDefaultAndAProblem(String value) {
            ConfigReader reader = reader("SESSION_X", value);
            assertEquals(Duration.ofHours(1), reader.duration("SESSION_X", Duration.ofHours(1)));
            assertEquals(List.of("SESSION_X was '" + value + "' but it must be a positive duration in seconds (3600) or ISO-8601 (PT30M, P31D)"),
                    reader.problems());
        }

        @Test
        void aZeroTypedDurationIsAProblemToo() {
            ConfigReader reader = reader("SESSION_X", 0);
            assertEquals(Duration.ofHours(1), reader.duration("SESSION_X", Duration.ofHours(1)));
            assertEquals(1, reader.problems().size());
        }
    }

    @Nested
    @DisplayName("lists")
    class Lists {

        @Test
        void commaSeparatedItemsAreTrimmedAndBlanksDropped() {
            ConfigReader reader = reader("SESSION_X", " a, ,b ,");
            assertEquals(List.of("a", "b"), reader.list("SESSION_X", List.of("default")));
            assertEquals(List.of(), reader.problems());
        }

        @Test
        void aCollectionGivenInCodeIsTrimmedAndBlanksDropped() {
            assertEquals(List.of("a", "b"), reader("SESSION_X", List.of(" a ", "", "b")).list("SESSION_X", List.of("default")));
        }

        @Test
        void anUnsetKeyGivesTheDefault() {
            assertEquals(List.of("default"), empty().list("SESSION_X", List.of("default")));
        }

        @Test
        void aListOfOnlySeparatorsGivesTheDefaultAndAProblem() {
            ConfigReader reader = reader("SESSION_X", " , ,");
            assertEquals(List.of("default"), reader.list("SESSION_X", List.of("default")));
            assertEquals(List.of("SESSION_X was ' , ,' but it must be a comma-separated list with at least one item"), reader.problems());
        }
    }

    @Nested
    @DisplayName("strings and choices")
    class StringsAndChoices {

        @Test
        void aChoiceAnswersTheAllowedSpellingWhateverTheCase() {
            assertEquals("Lax", reader("SESSION_X", " lAX ").choice("SESSION_X", "Strict", List.of("Strict", "Lax")));
        }

        @Test
        void anotherWordGivesTheDefaultAndAProblemListingTheAllowedOnes() {
            ConfigReader reader = reader("SESSION_X", "loose");
            assertEquals("Strict", reader.choice("SESSION_X", "Strict", List.of("Strict", "Lax")));
            assertEquals(List.of("SESSION_X was 'loose' but it must be one of Strict, Lax"), reader.problems());
        }

        @Test
        void anUnsetChoiceGivesTheDefault() {
            assertNull(empty().choice("SESSION_X", null, List.of("Strict", "Lax")));
        }

        @Test
        void aRequiredValueIsAnsweredTrimmed() {
            ConfigReader reader = reader("SESSION_X", " value ");
            assertEquals("value", reader.required("SESSION_X", "when testing"));
            assertEquals("value", reader.string("SESSION_X", "default"));
            assertEquals(List.of(), reader.problems());
        }

        @Test
        void aMissingRequiredValueIsAProblemThatValidateReports() {
            ConfigReader reader = empty();
            assertNull(reader.required("SESSION_X", "when testing"));
            assertEquals("default", reader.string("SESSION_X", "default"));
            SessionConfigException error = assertThrows(SessionConfigException.class, reader::validate);
            assertEquals(List.of("SESSION_X is not set but it is required when testing"), error.problems());
        }

        @Test
        void problemsAreCollectedInOrderAndValidateListsThemAll() {
            ConfigReader reader = SessionConfig.builder().fromMap(Map.of("SESSION_A", "x", "SESSION_B", "y")).build().reader();
            reader.integer("SESSION_A", 1, 1, 2);
            reader.problem("SESSION_A and SESSION_B contradict each other");
            reader.bool("SESSION_B", false);
            List<String> expected = List.of("SESSION_A was 'x' but it must be a whole number from 1 to 2",
                    "SESSION_A and SESSION_B contradict each other", "SESSION_B was 'y' but it must be true or false");
            assertEquals(expected, reader.problems());
            assertEquals(expected, assertThrows(SessionConfigException.class, reader::validate).problems());
        }

        @Test
        void withoutProblemsValidatePasses() {
            assertDoesNotThrow(empty()::validate);
        }
    }

    @Nested
    @DisplayName("values in messages")
    class Describe {

        @Test
        void secretsArePrintedAsStars() {
            assertEquals("***", ConfigReader.describe("SECRET_KEY", "hunter2"));
            assertEquals("***", ConfigReader.describe("SESSION_JDBC_PASSWORD", "hunter2"));
            assertEquals("***", ConfigReader.describe("session_jdbc_password", "hunter2"));
        }

        @Test
        void passwordsInUrlsAreMaskedAndTheRestIsKept() {
            assertEquals("redis://user:***@host:6379/0", ConfigReader.describe("SESSION_REDIS", "redis://user:pa55@host:6379/0"));
            assertEquals("redis://host:6379/0", ConfigReader.describe("SESSION_REDIS", "redis://host:6379/0"));
            assertEquals("42", ConfigReader.describe("SESSION_ID_LENGTH", 42));
        }

        @Test
        void anAbsentValueIsPrintedAsNull() {
            assertEquals("null", ConfigReader.describe("SESSION_X", null));
            assertEquals("null", ConfigReader.describe("SECRET_KEY", null));
        }

        @Test
        void anInvalidSecretNeverAppearsInTheProblem() {
            ConfigReader reader = reader("SESSION_SECRET_TIMEOUT", "hunter2");
            reader.duration("SESSION_SECRET_TIMEOUT", Duration.ofSeconds(1));
            assertEquals(List.of("SESSION_SECRET_TIMEOUT was '***' but it must be a positive duration in seconds (3600) or ISO-8601 (PT30M, P31D)"),
                    reader.problems());
        }
    }
}
