package io.sessionkit.dynamodb;

import io.sessionkit.SessionBackendException;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.spi.BackendClient;
import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.SessionBackendProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Provides {@code SESSION_TYPE=dynamodb}: sessions in an Amazon DynamoDB table.
 *
 * <p>Keys:
 * <ul>
 *   <li>{@code SESSION_DYNAMODB_TABLE}: table, default {@code Sessions};</li>
 *   <li>{@code SESSION_DYNAMODB_REGION}: region, default the AWS SDK's region chain
 *       ({@code us-east-1} when an endpoint is given and no region is found);</li>
 *   <li>{@code SESSION_DYNAMODB_ENDPOINT_URL}: endpoint, e.g. DynamoDB Local's, default AWS's;</li>
 *   <li>{@code SESSION_DYNAMODB_KEY_ID} and {@code SESSION_DYNAMODB_SECRET}: an access key,
 *       default the AWS SDK's credential chain;</li>
 *   <li>{@code SESSION_DYNAMODB_CREATE_TABLE}: create the table when missing, default
 *       {@code true} as in Flask-Session (whose {@code SESSION_DYNAMODB_TABLE_EXISTS=true} is
 *       accepted as {@code false});</li>
 *   <li>{@code SESSION_DYNAMODB_TIMEOUT}: connect and read timeout and the bound on each call,
 *       default 5 s.</li>
 * </ul>
 * A {@link DynamoDbClient} handed in with {@code SessionConfig.builder().client(client)} is used
 * with the table keys, and is not closed by the backend; setting region, endpoint, key pair or
 * timeout as well is a configuration error, since only one of them can say how to connect.
 *
 * <p>{@link #create} checks the table at once (and creates it, or adds its principal index, when
 * allowed), so a missing table, a missing principal index that {@code SESSION_PRINCIPAL_KEY} needs,
 * or an unreachable endpoint is reported at start-up as a {@link SessionBackendException}.
 */
public final class DynamoDbSessionBackendProvider implements SessionBackendProvider {

    /** The {@code SESSION_TYPE} of this store. */
    public static final String TYPE = "dynamodb";

    /** Creates the provider; it reads nothing and connects nowhere until {@link #create}. */
    public DynamoDbSessionBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SessionBackend create(SessionConfig config) {
        DynamoDbSettings settings = DynamoDbSettings.read(config);
        BackendClient<DynamoDbClient> client = settings.handedIn()
                .map(BackendClient::handedIn)
                .orElseGet(() -> BackendClient.owned(settings.buildClient(), DynamoDbClient::close));
        return client.closeOnFailure(c -> {
            boolean principalIndex = new DynamoDbSessionTable(c.get(), settings.table(), settings.describeLocation())
                    .prepare(settings.createTable(), config.principalKey().isPresent());
            return new DynamoDbSessionBackend(c, new DynamoDbRequests(c.get(), settings.table(), config.clock(),
                    settings.describeLocation()), principalIndex);
        });
    }
}
