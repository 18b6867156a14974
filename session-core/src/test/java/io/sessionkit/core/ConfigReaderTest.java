package io.sessionkit.core;

import io.sessionkit.SessionConfigException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class ConfigReaderTest {

    private static ConfigReader reader(Map<String, ?> values) {
        return SessionConfig.builder().fromMap(values).build().reader();
    }

    private static String onlyProblem(ConfigReader reader) {
        assertEquals(1, reader.problems().size(), reader.problems().toString());
        return reader.problems().get(0);
    }

    @Nested
    @DisplayName("durations with bounds")
    class Durations {

        private static final Duration MIN = Duration.ofMillis(250);
        private static final Duration MAX = Duration.ofHours(1);

        @Test
        void valuesWithinTheBoundsAreTakenInSecondsOrIso() {
            assertEquals(Duration.ofMinutes(2), reader(Map.of("K", "120")).duration("K", MAX, MIN, MAX));
            assertEquals(Duration.ofMillis(250), reader(Map.of("K", "PT0.25S")).duration("K", MAX, MIN, MAX));
            assertEquals(MAX, reader(Map.of("K", "PT1H")).duration("K", Duration.ofSeconds(5), MIN, MAX), "the bound itself is allowed");
            assertEquals(Duration.ofSeconds(5), reader(Map.of()).duration("K", Duration.ofSeconds(5), MIN, MAX));
        }

        @Test
        void valuesOutsideTheBoundsAreReportedWithTheBounds() {
            ConfigReader below = reader(Map.of("K", "PT0.1S"));
            assertEquals(Duration.ofSeconds(5), below.duration("K", Duration.ofSeconds(5), MIN, MAX));
            assertEquals("K was 'PT0.1S' but it must be a duration of at least PT0.25S and at most PT1H"
                    + " in seconds (3600) or ISO-8601 (PT30M, P31D)", onlyProblem(below));

            ConfigReader above = reader(Map.of("K", "3601"));
            above.duration("K", Duration.ofSeconds(5), MIN, MAX);
            assertTrue(onlyProblem(above).startsWith("K was '3601' but it must be a duration of at least PT0.25S and at most PT1H"));
        }

        @Test
        void aMinimumOfOneMillisecondIsNamed() {
            ConfigReader reader = reader(Map.of("K", "PT0.0005S"));
            assertEquals(MAX, reader.duration("K", MAX, Duration.ofMillis(1), MAX));
            assertEquals("K was 'PT0.0005S' but it must be a duration of at least PT0.001S and at most PT1H"
                    + " in seconds (3600) or ISO-8601 (PT30M, P31D)", onlyProblem(reader));
        }

        @Test
        void withoutBoundsZeroNegativeAndTextAreRefused() {
            for (String bad : List.of("0", "-5", "PT0S", "soon")) {
                ConfigReader reader = reader(Map.of("K", bad));
                assertEquals(Duration.ofSeconds(9), reader.duration("K", Duration.ofSeconds(9)));
                assertEquals("K was '" + bad + "' but it must be a positive duration in seconds (3600) or ISO-8601 (PT30M, P31D)",
                        onlyProblem(reader));
            }
        }

        @Test
        void typedValuesAreTakenAsTheyAre() {
            assertEquals(Duration.ofMillis(1500), reader(Map.of("K", Duration.ofMillis(1500))).duration("K", MAX, MIN, MAX));
            assertEquals(Duration.ofSeconds(30), reader(Map.of("K", 30)).duration("K", MAX, MIN, MAX));
        }
    }

    @Nested
    @DisplayName("durations that can be switched off")
    class DurationsOrOff {

        private final Optional<Duration> fiveMinutes = Optional.of(Duration.ofMinutes(5));

        @Test
        void offWordsAndZeroSwitchItOff() {
            for (String off : List.of("0", "off", "OFF", "false", "no", "none", "PT0S", " off ")) {
                ConfigReader reader = reader(Map.of("K", off));
                assertEquals(Optional.empty(), reader.durationOrOff("K", fiveMinutes, Duration.ofMillis(10), null), off);
                assertEquals(List.of(), reader.problems(), off);
            }
        }

        @Test
        void aDurationIsTakenAndUnsetGivesTheDefault() {
            assertEquals(Optional.of(Duration.ofSeconds(30)),
                    reader(Map.of("K", "PT30S")).durationOrOff("K", fiveMinutes, Duration.ofMillis(10), null));
            assertEquals(fiveMinutes, reader(Map.of()).durationOrOff("K", fiveMinutes, Duration.ofMillis(10), null));
            assertEquals(Optional.empty(), reader(Map.of()).durationOrOff("K", Optional.empty(), Duration.ofMillis(10), null));
        }

        @Test
        void aValueBelowTheMinimumIsReportedWithTheWayToSwitchOff() {
            ConfigReader reader = reader(Map.of("K", "PT0.001S"));
            assertEquals(fiveMinutes, reader.durationOrOff("K", fiveMinutes, Duration.ofMillis(10), null));
            assertEquals("K was 'PT0.001S' but it must be a duration of at least PT0.01S in seconds (3600) or ISO-8601"
                    + " (PT30M, P31D), or 0 (off) to switch it off", onlyProblem(reader));
        }
    }

    @Nested
    @DisplayName("host:port lists")
    class HostPorts {

        private final List<HostPort> local = List.of(new HostPort("127.0.0.1", 11211));

        @Test
        void namesAddressesAndBracketedIpv6AreRead() {
            assertEquals(List.of(new HostPort("cache-1.internal", 11211), new HostPort("10.0.0.2", 11212), new HostPort("::1", 6379)),
                    reader(Map.of("K", " cache-1.internal:11211 ,10.0.0.2:11212,[::1]:6379")).hostPorts("K", local));
            assertEquals(local, reader(Map.of()).hostPorts("K", local));
        }

        @Test
        void eachMalformedItemIsNamed() {
            Map<String, String> faults = Map.of(
                    "cache", "'cache' is not host:port",
                    "cache:", "'cache:' is not host:port",
                    ":11211", "':11211' is not host:port",
                    "cache:0", "'cache:0' is not host:port",
                    "cache:65536", "'cache:65536' is not host:port",
                    "cache:11x", "'cache:11x' is not host:port",
                    "::1:6379", "'::1:6379' is not host:port",
                    "a:1,,b:2", "'' is not host:port",
                    "user@cache:11211", "'user@cache:11211' is not host:port",
                    "a:1,a:1", "a:1 is listed twice");
            faults.forEach((value, fault) -> {
                ConfigReader reader = reader(Map.of("K", value));
                assertEquals(local, reader.hostPorts("K", local), value);
                assertEquals("K was '" + value + "' but it must be a comma-separated list of host:port such as"
                        + " 10.0.0.1:6379,10.0.0.2:6379 (" + fault + ")", onlyProblem(reader));
            });
        }

        @Test
        void aListGivenInCodeIsRead() {
            assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 2)),
                    reader(Map.of("K", List.of("a:1", " b:2"))).hostPorts("K", local));
        }

        @Test
        void theLowestAndHighestPortsAreAllowed() {
            assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 65535)),
                    reader(Map.of("K", "a:1,b:65535")).hostPorts("K", local));
            assertEquals(1, new HostPort("a", 1).port());
            assertEquals(65535, new HostPort("a", 65535).port());
        }

        @Test
        void hostsWithPathsBracketsOrBlanksAreNotHosts() {
            for (String value : List.of("cache/0:6379", "ca[che:6379", "cache]:6379", "ca che:6379", "[ ]:6379", "cache:000080")) {
                ConfigReader reader = reader(Map.of("K", value));
                assertEquals(local, reader.hostPorts("K", local), value);
                assertTrue(onlyProblem(reader).endsWith("('" + value + "' is not host:port)"), onlyProblem(reader));
            }
        }

        @Test
        void anIpv6HostPrintsInBrackets() {
            assertEquals("[::1]:6379", new HostPort("::1", 6379).toString());
            assertEquals("cache:11211", new HostPort("cache", 11211).toString());
            assertThrows(IllegalArgumentException.class, () -> new HostPort(" ", 1));
            assertThrows(IllegalArgumentException.class, () -> new HostPort("a", 0));
            assertThrows(IllegalArgumentException.class, () -> new HostPort("a", 65536));
        }
    }

    @Nested
    @DisplayName("a client handed in from code")
    class HandedInClients {

        /** Stands for a store's client class, such as a DataSource or a JedisPooled. */
        record StoreClient(String name) {
        }

        @Test
        void aConnectionKeySetBesideAHandedInClientIsReportedNamingBoth() {
            StoreClient dataSource = new StoreClient("pool");
            ConfigReader reader = SessionConfig.builder().set("SESSION_X_URL", "x://host").set("SESSION_X_USER", "app")
                    .client(dataSource).build().reader();
            assertSame(dataSource, reader.client(StoreClient.class, "SESSION_X_URL", "SESSION_X_HOSTS").orElseThrow());
            assertEquals("SESSION_X_URL is set but a " + dataSource.getClass().getName() + " was also handed in from code;"
                    + " only one of them can say how to connect: remove SESSION_X_URL or do not hand in the client",
                    onlyProblem(reader));
            SessionConfigException error = assertThrows(SessionConfigException.class, reader::validate);
            assertTrue(error.getMessage().contains("SESSION_X_URL"), error.getMessage());
        }

        @Test
        void withoutAClientTheKeysAreTheStoresToRead() {
            ConfigReader reader = SessionConfig.builder().set("SESSION_X_URL", "x://host").build().reader();
            assertEquals(Optional.empty(), reader.client(StoreClient.class, "SESSION_X_URL"));
            assertEquals(List.of(), reader.problems());
        }

        @Test
        void aClientOfAnotherTypeIsNotTaken() {
            ConfigReader reader = SessionConfig.builder().set("SESSION_X_URL", "x://host").client("not a data source").build().reader();
            assertEquals(Optional.empty(), reader.client(StoreClient.class, "SESSION_X_URL"));
            assertEquals(List.of(), reader.problems());
        }
    }

    @Nested
    @DisplayName("secrets in messages")
    class Masking {

        @Test
        void passwordsInUrlsAndParametersAreMasked() {
            assertEquals("redis://app:***@cache:6379/0", ConfigReader.mask("redis://app:s3cret@cache:6379/0"));
            assertEquals("mongodb://u:***@a:1,b:2/db", ConfigReader.mask("mongodb://u:p@ss@a:1,b:2/db"));
            assertEquals("jdbc:postgresql://db/app?user=app&password=***&ssl=true",
                    ConfigReader.mask("jdbc:postgresql://db/app?user=app&password=s3cret&ssl=true"));
            assertEquals("jdbc:sqlserver://db;user=app;Password=***;encrypt=true",
                    ConfigReader.mask("jdbc:sqlserver://db;user=app;Password=s3cret;encrypt=true"));
            assertEquals("redis://cache:6379", ConfigReader.mask("redis://cache:6379"));
            assertEquals("redis://admin:***@cache", ConfigReader.mask("redis://admin:hun/ter2@cache"));
            assertEquals("redis://***@cache:6379", ConfigReader.mask("redis://s3cret@cache:6379"), "a lone part may be the password");
            assertEquals("a redis://u:***@h and b mongodb://v:***@k/db", ConfigReader.mask("a redis://u:p@h and b mongodb://v:q@k/db"));
            assertEquals("no url here: user@host", ConfigReader.mask("no url here: user@host"));
        }

        @Test
        void aUrlEndsAtAQuoteOrABlank() {
            assertEquals("{\"url\":\"redis://u:***@cache\",\"admin\":\"ops@example.com\"}",
                    ConfigReader.mask("{\"url\":\"redis://u:pw@cache\",\"admin\":\"ops@example.com\"}"));
            assertEquals("redis://cache:6379 @ops", ConfigReader.mask("redis://cache:6379 @ops"), "the @ is after the URL");
            assertEquals("://u:***@cache", ConfigReader.mask("://u:pw@cache"), "a URL at the very start of the text");
        }

        @Test
        void secretKeysAreNeverShown() {
            assertEquals("***", ConfigReader.describe("SECRET_KEY", "k"));
            assertEquals("***", ConfigReader.describe("SESSION_JDBC_PASSWORD", "k"));
            assertEquals("redis://u:***@h", ConfigReader.describe("SESSION_REDIS", "redis://u:p@h"));
            assertEquals("null", ConfigReader.describe("SESSION_REDIS", null));
        }
    }

    @Nested
    @DisplayName("which keys were read")
    class ReadKeys {

        @Test
        void everyKeyAskedForIsRecordedWhetherSetOrNot() {
            SessionConfig config = SessionConfig.builder().set("SESSION_A", "1").set("SESSION_TYPO", "x").build();
            ConfigReader reader = config.reader();
            reader.integer("SESSION_A", 0, 0, 9);
            reader.bool("SESSION_B", false);
            config.get("SESSION_C");
            assertTrue(config.readKeys().containsAll(List.of("SESSION_A", "SESSION_B", "SESSION_C", "SESSION_TYPE")));
            assertFalse(config.readKeys().contains("SESSION_TYPO"));
            assertEquals(Map.of("SESSION_TYPO", "configuration"), config.unreadKeys());
        }

        @Test
        void unreadKeysNameTheirSourceAndOnlySessionKitKeysCount() {
            System.setProperty("SESSION_FROM_PROPERTY", "1");
            try {
                SessionConfig config = SessionConfig.builder().fromSystemProperties().set("other.key", "x").build();
                assertEquals("system property", config.unreadKeys().get("SESSION_FROM_PROPERTY"));
                assertFalse(config.unreadKeys().containsKey("other.key"));
            } finally {
                System.clearProperty("SESSION_FROM_PROPERTY");
            }
        }
    }
}
