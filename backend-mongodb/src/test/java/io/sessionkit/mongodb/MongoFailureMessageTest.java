package io.sessionkit.mongodb;

import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import io.sessionkit.SessionBackendException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The driver's duplicate-key error quotes the key; the store's failure quotes only the id's start. */
class MongoFailureMessageTest {

    @Test
    void aDuplicateKeyErrorNamesOnlyTheStartOfTheId() {
        String id = "hWVlGN3KzxLh5NOmcJp8XVNP_4_is0BOkbOoV14ttB4";
        MongoWriteException duplicate = new MongoWriteException(new WriteError(11000,
                "E11000 duplicate key error collection: app.sessions index: _id_ dup key: { _id: \"session:" + id + "\" }",
                new BsonDocument()), new ServerAddress("127.0.0.1", 27017), Set.of());
        SessionBackendException failure = MongoCommands.failure("save", "127.0.0.1:27017/app.sessions", duplicate);
        assertTrue(failure.getMessage().contains("dup key: { _id: \"session:hWVlGN…\" }"), failure.getMessage());
        assertFalse(failure.getMessage().contains(id.substring(0, 7)), failure.getMessage());
        assertSame(duplicate, failure.getCause(), "the driver's exception stays the cause, for the application's code");
    }
}
