package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionConfig;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the store client the application already has as a bean, for the backend that
 * {@code SESSION_TYPE} selects, so that SessionKit shares its pool instead of opening its own: a
 * {@code DataSource} for {@code jdbc}, a {@code UnifiedJedis} ({@code JedisPooled},
 * {@code JedisCluster}, ...) for {@code redis}, a {@code MongoClient} for {@code mongodb}, a
 * {@code DynamoDbClient} for {@code dynamodb}.
 *
 * <p>The bean is handed in only when it is the only candidate (or the primary one) and the
 * configuration does not say where the store is: a {@code SESSION_JDBC_URL},
 * {@code SESSION_REDIS}, ... that is set means a store of its own, which the backend then
 * connects to.
 */
final class ApplicationClients {

    private record Client(String className, List<String> ownStoreKeys) {
    }

    private static final Map<String, Client> BY_TYPE = Map.of(
            "jdbc", new Client("javax.sql.DataSource", List.of("SESSION_JDBC_URL")),
            "redis", new Client("redis.clients.jedis.UnifiedJedis",
                    List.of("SESSION_REDIS", "SESSION_REDIS_SENTINELS", "SESSION_REDIS_CLUSTER")),
            "mongodb", new Client("com.mongodb.client.MongoClient", List.of("SESSION_MONGODB")),
            "dynamodb", new Client("software.amazon.awssdk.services.dynamodb.DynamoDbClient",
                    List.of("SESSION_DYNAMODB_ENDPOINT_URL", "SESSION_DYNAMODB_REGION")));

    private ApplicationClients() {
    }

    /**
     * @param config  the configuration read so far, for {@code SESSION_TYPE} and the store's keys
     * @param beans   the application's beans
     * @return the client bean to hand in, if any
     */
    static Optional<Object> find(SessionConfig config, ListableBeanFactory beans) {
        Client client = BY_TYPE.get(config.type());
        if (client == null || client.ownStoreKeys().stream().anyMatch(key -> config.get(key).isPresent())) {
            return Optional.empty();
        }
        ClassLoader loader = ApplicationClients.class.getClassLoader();
        if (!ClassUtils.isPresent(client.className(), loader)) {
            return Optional.empty();
        }
        Class<?> type = ClassUtils.resolveClassName(client.className(), loader);
        return Optional.ofNullable(beans.getBeanProvider(type).getIfUnique());
    }
}
