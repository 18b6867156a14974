package io.sessionkit.spring.boot;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.sessionkit.Session;
import io.sessionkit.core.SessionInterface;
import io.sessionkit.testsupport.LocalMongoServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The application's MongoClient bean carries SessionKit's sessions, on the MongoDB driver Spring Boot manages. */
class MongoClientBeanTest {

    @Test
    @DisplayName("type mongodb and no connection string set: the application's MongoClient is shared, and stays open")
    void shared() {
        String collection = "sessions_" + UUID.randomUUID().toString().replace("-", "");
        try (LocalMongoServer server = LocalMongoServer.start(0); MongoClient client = MongoClients.create(server.connectionString())) {
            new WebApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(SessionKitAutoConfiguration.class))
                    .withBean("applicationMongo", MongoClient.class, () -> client, definition -> definition.setDestroyMethodName(""))
                    .withPropertyValues("sessionkit.type=mongodb", "sessionkit.mongodb.collect=" + collection)
                    .run(context -> {
                        SessionInterface engine = context.getBean(SessionInterface.class);
                        assertSame(client, engine.config().client(MongoClient.class).orElseThrow());
                        Session session = engine.open(null);
                        session.put("cart", "apple");
                        engine.save(session);
                        assertEquals(1, client.getDatabase("flask_session").getCollection(collection)
                                .countDocuments(Filters.eq("_id", engine.config().keyPrefix() + session.id())));
                    });
            assertEquals(1, client.getDatabase("flask_session").getCollection(collection).countDocuments(),
                    "the client is still open after the context closed");
        }
    }
}
