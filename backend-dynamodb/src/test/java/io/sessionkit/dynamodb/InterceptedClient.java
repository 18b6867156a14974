package io.sessionkit.dynamodb;

import io.sessionkit.testsupport.LocalDynamoDb;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;

/** A client of the shared DynamoDB Local through which tests watch or disturb every request. */
final class InterceptedClient {

    private InterceptedClient() {
    }

    /**
     * @param interceptor sees every request the client sends
     * @return the client; the caller closes it
     */
    static DynamoDbClient of(ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(LocalDynamoDb.shared().endpoint()))
                .region(Region.of(LocalDynamoDb.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalDynamoDb.KEY_ID, LocalDynamoDb.SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(override -> override.addExecutionInterceptor(interceptor))
                .build();
    }
}
