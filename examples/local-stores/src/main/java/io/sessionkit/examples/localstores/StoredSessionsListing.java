package io.sessionkit.examples.localstores;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.sessionkit.testsupport.LocalDynamoDb;
import org.bson.Document;
import org.bson.types.Binary;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * Prints the sessions a server started by {@link LocalStoreLauncher} holds, one line each:
 * store key, expiry and the stored value (as text when it is text, as with the default JSON
 * format). It reads the same collection or table as the demo: {@code SESSION_MONGODB_DB}
 * (default {@code flask_session}), {@code SESSION_MONGODB_COLLECT} ({@code sessions}) or
 * {@code SESSION_DYNAMODB_TABLE} ({@code Sessions}) from the environment.
 *
 * <pre>
 *   java -cp ... io.sessionkit.examples.localstores.StoredSessionsListing mongodb|dynamodb [port]
 * </pre>
 */
public final class StoredSessionsListing {

    private final PrintStream out;
    private int count;

    private StoredSessionsListing(PrintStream out) {
        this.out = out;
    }

    /**
     * @param args {@code mongodb|dynamodb [port]}; the port defaults to the real server's
     */
    public static void main(String[] args) {
        try {
            LauncherArguments arguments = LauncherArguments.parse(args);
            StoredSessionsListing listing = new StoredSessionsListing(System.out);
            switch (arguments.type()) {
                case MONGODB -> listing.listMongoDb(arguments.port());
                case DYNAMODB -> listing.listDynamoDb(arguments.port());
            }
            System.out.println(listing.count + " session(s)");
        } catch (RuntimeException e) {
            System.err.println("local-store list: " + e.getMessage());
            System.exit(1);
        }
    }

    private void listMongoDb(int port) {
        String database = setting("SESSION_MONGODB_DB", "flask_session");
        String collection = setting("SESSION_MONGODB_COLLECT", "sessions");
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(3, TimeUnit.SECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            for (Document document : client.getDatabase(database).getCollection(collection).find()) {
                Date expiration = document.getDate("expiration");
                print(String.valueOf(document.get("_id")), expiration == null ? null : expiration.toInstant(),
                        bytes(document.get("val")));
            }
        } catch (MongoException e) {
            throw new IllegalStateException("could not read " + database + "." + collection + " at 127.0.0.1:" + port
                    + " (" + e.getMessage() + "); is ./scripts/local-store.sh mongodb " + port + " running?", e);
        }
    }

    private void listDynamoDb(int port) {
        String table = setting("SESSION_DYNAMODB_TABLE", "Sessions");
        try (DynamoDbClient client = LocalDynamoDb.clientFor(port)) {
            client.scanPaginator(scan -> scan.tableName(table)).items().forEach(item -> {
                AttributeValue expiration = item.get("expiration");
                AttributeValue value = item.get("val");
                print(text(item.get("id")), expiration == null ? null : Instant.ofEpochSecond(Long.parseLong(expiration.n())),
                        value == null || value.b() == null ? null : value.b().asByteArray());
            });
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("there is no table '" + table + "' (region " + LocalDynamoDb.REGION
                    + ", key id " + LocalDynamoDb.KEY_ID + ") at 127.0.0.1:" + port
                    + "; the demo creates it when it starts with these settings", e);
        } catch (SdkException e) {
            throw new IllegalStateException("could not scan table '" + table + "' at 127.0.0.1:" + port + " ("
                    + e.getMessage() + "); is ./scripts/local-store.sh dynamodb " + port + " running?", e);
        }
    }

    private void print(String key, Instant expiration, byte[] value) {
        count++;
        out.println(key + "  expires " + expiration + "  " + describe(value));
    }

    private static String describe(byte[] value) {
        if (value == null) {
            return "(no value)";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException notText) {
            return "(" + value.length + " bytes, not text)";
        }
    }

    private static byte[] bytes(Object value) {
        if (value instanceof Binary binary) {
            return binary.getData();
        }
        return value instanceof byte[] data ? data : null;
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.s();
    }

    private static String setting(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }
}
