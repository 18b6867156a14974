package io.sessionkit.dynamodb;

import io.sessionkit.core.ConfigReader;
import io.sessionkit.core.SessionConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code SESSION_DYNAMODB_*} keys and a {@link DynamoDbClient} handed in from code, read and
 * checked together: every bad value is reported in one {@link io.sessionkit.SessionConfigException}.
 *
 * @param handedIn    the client handed in with {@code SessionConfig.builder().client(...)}, if any;
 *                    then the connection keys (endpoint, region, key pair, timeout) must be unset, and
 *                    {@code region}, {@code endpoint}, {@code credentials} and {@code timeout} are {@code null}
 * @param table       {@code SESSION_DYNAMODB_TABLE}, with either client
 * @param region      {@code SESSION_DYNAMODB_REGION}, else the SDK's region chain
 * @param endpoint    {@code SESSION_DYNAMODB_ENDPOINT_URL}, {@code null} for AWS's own endpoint
 * @param credentials the key pair of {@code SESSION_DYNAMODB_KEY_ID} and {@code SESSION_DYNAMODB_SECRET}, else
 *                    the SDK's default credential chain
 * @param createTable {@code SESSION_DYNAMODB_CREATE_TABLE}: create the table when it is missing, with either client
 * @param timeout     {@code SESSION_DYNAMODB_TIMEOUT}: connect and read timeout, and the bound on each call
 *                    including the SDK's retries
 */
record DynamoDbSettings(Optional<DynamoDbClient> handedIn, String table, Region region, URI endpoint,
                        AwsCredentialsProvider credentials, boolean createTable, Duration timeout) {

    static final String SESSION_DYNAMODB_TABLE = "SESSION_DYNAMODB_TABLE";
    static final String SESSION_DYNAMODB_REGION = "SESSION_DYNAMODB_REGION";
    static final String SESSION_DYNAMODB_ENDPOINT_URL = "SESSION_DYNAMODB_ENDPOINT_URL";
    static final String SESSION_DYNAMODB_KEY_ID = "SESSION_DYNAMODB_KEY_ID";
    static final String SESSION_DYNAMODB_SECRET = "SESSION_DYNAMODB_SECRET";
    static final String SESSION_DYNAMODB_CREATE_TABLE = "SESSION_DYNAMODB_CREATE_TABLE";
    /** Flask-Session's inverse of {@link #SESSION_DYNAMODB_CREATE_TABLE}, accepted for compatibility. */
    static final String SESSION_DYNAMODB_TABLE_EXISTS = "SESSION_DYNAMODB_TABLE_EXISTS";
    static final String SESSION_DYNAMODB_TIMEOUT = "SESSION_DYNAMODB_TIMEOUT";

    static final String DEFAULT_TABLE = "Sessions";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Where requests go when an endpoint is overridden (DynamoDB Local) and no region is configured. */
    static final Region ENDPOINT_FALLBACK_REGION = Region.US_EAST_1;

    /** The HTTP client takes timeouts as an int of milliseconds. */
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
    private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /**
     * Reads every key and reports all problems at once. A key that says how to connect, set
     * beside a handed-in client, is a problem: only one of them can be used.
     *
     * @param config the whole configuration
     * @return the checked settings
     * @throws io.sessionkit.SessionConfigException naming every bad key and value
     */
    static DynamoDbSettings read(SessionConfig config) {
        // With a custom endpoint (usually DynamoDB Local, which accepts any region) only settings and
        // profiles are consulted, never the EC2 instance metadata service over the network.
        return read(config, DefaultAwsRegionProviderChain.builder().build(),
                new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()));
    }

    /**
     * @param defaultRegions  the chain consulted when neither a region nor an endpoint is configured
     * @param endpointRegions the chain consulted when only an endpoint is configured, before
     *                        falling back to {@link #ENDPOINT_FALLBACK_REGION}
     */
    static DynamoDbSettings read(SessionConfig config, AwsRegionProvider defaultRegions, AwsRegionProvider endpointRegions) {
        ConfigReader reader = config.reader();
        Optional<DynamoDbClient> handedIn = reader.client(DynamoDbClient.class, SESSION_DYNAMODB_ENDPOINT_URL,
                SESSION_DYNAMODB_REGION, SESSION_DYNAMODB_KEY_ID, SESSION_DYNAMODB_SECRET, SESSION_DYNAMODB_TIMEOUT);
        String table = reader.string(SESSION_DYNAMODB_TABLE, DEFAULT_TABLE);
        if (!TABLE_NAME.matcher(table).matches()) {
            reader.invalid(SESSION_DYNAMODB_TABLE, table,
                    "a DynamoDB table name: 3 to 255 letters, digits, '_', '-' or '.'");
        }
        boolean createTable = readCreateTable(reader);
        if (handedIn.isPresent()) {
            reader.validate();
            return new DynamoDbSettings(handedIn, table, null, null, null, createTable, null);
        }
        Duration timeout = reader.duration(SESSION_DYNAMODB_TIMEOUT, DEFAULT_TIMEOUT, SHORTEST_TIMEOUT, LONGEST_TIMEOUT);
        Optional<String> endpointText = reader.optionalString(SESSION_DYNAMODB_ENDPOINT_URL);
        URI endpoint = endpointText.map(value -> parseEndpoint(reader, value)).orElse(null);
        Region region = readRegion(reader, endpointText.isPresent() ? endpointRegions : null, defaultRegions);
        AwsCredentialsProvider credentials = readCredentials(reader);
        reader.validate();
        return new DynamoDbSettings(Optional.empty(), table, region, endpoint, credentials, createTable, timeout);
    }

    private static boolean readCreateTable(ConfigReader reader) {
        boolean createTable = reader.bool(SESSION_DYNAMODB_CREATE_TABLE, true);
        if (reader.optionalString(SESSION_DYNAMODB_TABLE_EXISTS).isEmpty()) {
            return createTable;
        }
        boolean tableExists = reader.bool(SESSION_DYNAMODB_TABLE_EXISTS, false);
        if (reader.optionalString(SESSION_DYNAMODB_CREATE_TABLE).isPresent() && createTable == tableExists) {
            reader.problem(SESSION_DYNAMODB_CREATE_TABLE + " and " + SESSION_DYNAMODB_TABLE_EXISTS
                    + " contradict each other; set only " + SESSION_DYNAMODB_CREATE_TABLE);
        }
        return !tableExists;
    }

    private static URI parseEndpoint(ConfigReader reader, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, like any other unusable value
        }
        reader.invalid(SESSION_DYNAMODB_ENDPOINT_URL, value, "an http or https URL such as http://127.0.0.1:8000");
        return null;
    }

    /**
     * @param endpointRegions the chain for an overridden endpoint, {@code null} when AWS's own endpoint is used
     */
    private static Region readRegion(ConfigReader reader, AwsRegionProvider endpointRegions, AwsRegionProvider defaultRegions) {
        Optional<String> configured = reader.optionalString(SESSION_DYNAMODB_REGION);
        if (configured.isPresent()) {
            if (!REGION_NAME.matcher(configured.get()).matches()) {
                reader.invalid(SESSION_DYNAMODB_REGION, configured.get(), "an AWS region name such as eu-west-1");
                return null;
            }
            return Region.of(configured.get());
        }
        if (endpointRegions != null) {
            return regionFrom(endpointRegions).orElse(ENDPOINT_FALLBACK_REGION);
        }
        Optional<Region> found = regionFrom(defaultRegions);
        if (found.isEmpty()) {
            reader.problem(SESSION_DYNAMODB_REGION + " is not set and the AWS SDK found no region (AWS_REGION, aws.region,"
                    + " ~/.aws/config, instance metadata); set " + SESSION_DYNAMODB_REGION + ", e.g. to eu-west-1");
        }
        return found.orElse(null);
    }

    private static Optional<Region> regionFrom(AwsRegionProvider provider) {
        try {
            return Optional.ofNullable(provider.getRegion());
        } catch (SdkClientException none) {
            return Optional.empty();
        }
    }

    private static AwsCredentialsProvider readCredentials(ConfigReader reader) {
        Optional<String> keyId = reader.optionalString(SESSION_DYNAMODB_KEY_ID);
        Optional<String> secret = reader.optionalString(SESSION_DYNAMODB_SECRET);
        if (keyId.isPresent() && secret.isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId.get(), secret.get()));
        }
        if (keyId.isPresent()) {
            reader.required(SESSION_DYNAMODB_SECRET, "when " + SESSION_DYNAMODB_KEY_ID + " is set");
        } else if (secret.isPresent()) {
            reader.required(SESSION_DYNAMODB_KEY_ID, "when " + SESSION_DYNAMODB_SECRET + " is set");
        }
        return DefaultCredentialsProvider.create();
    }

    /**
     * A client of our own, on the url-connection HTTP client: chosen explicitly, so the SDK never
     * looks for Netty or Apache on the class path. Builds it only; nothing is sent.
     *
     * @return the client; the caller closes it
     * @throws IllegalStateException when a client was handed in
     */
    DynamoDbClient buildClient() {
        if (handedIn.isPresent()) {
            throw new IllegalStateException("a DynamoDbClient was handed in; there are no settings for a client of our own");
        }
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout))
                .overrideConfiguration(override -> override.apiCallTimeout(timeout));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
        return "DynamoDbSettings[" + describeLocation() + ", createTable=" + createTable
                + (handedIn.isPresent() ? "" : ", timeout=" + timeout) + "]";
    }

    /**
     * @return where the table lives, for messages: table, region and endpoint, never credentials
     */
    String describeLocation() {
        if (handedIn.isPresent()) {
            return "table '" + table + "' (through the DynamoDbClient handed in)";
        }
        return "table '" + table + "' in " + region.id() + (endpoint != null ? " at " + endpoint : "");
    }
}
