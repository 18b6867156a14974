/**
 * Servers for the project's tests, examples and benchmarks, one implementation each.
 *
 * <p>Child processes ({@link io.sessionkit.testsupport.RedisServerProcess},
 * {@link io.sessionkit.testsupport.RedisCluster},
 * {@link io.sessionkit.testsupport.MemcachedServerProcess},
 * {@link io.sessionkit.testsupport.PostgresServerProcess},
 * {@link io.sessionkit.testsupport.MariaDbServerProcess}, and DynamoDB Local in a JVM of its own,
 * {@link io.sessionkit.testsupport.DynamoDbLocalProcess}) are built on
 * {@link io.sessionkit.testsupport.ServerProcess}: a fresh temporary directory, a free port,
 * stopped by pid; {@link io.sessionkit.testsupport.StoreServerProcess} is what they share. In-JVM servers ({@link io.sessionkit.testsupport.LocalMongoServer},
 * {@link io.sessionkit.testsupport.LocalDynamoDb}) implement
 * {@link io.sessionkit.testsupport.LocalStore}. Every server listens on 127.0.0.1 only.
 * {@link io.sessionkit.testsupport.ReplyDroppingProxy} stands in front of any of them to lose
 * one reply, for tests of what a client does when it cannot know whether its command ran;
 * {@link io.sessionkit.testsupport.LostReplyTest} is such a test for a store's conditional
 * writes and locks.
 *
 * <p>The module's dependencies on store servers and clients are optional: a user declares
 * those of the classes it uses (Jedis for the Redis classes, mongo-java-server for
 * {@code LocalMongoServer}, DynamoDB Local and the AWS SDK for {@code LocalDynamoDb},
 * JUnit for {@link io.sessionkit.testsupport.RoundTripsPerRequestTest} and
 * {@link io.sessionkit.testsupport.LostReplyTest}).
 *
 * <p>{@link io.sessionkit.testsupport.Race} runs calls at the same moment, for the stores' tests
 * of colliding requests. {@link io.sessionkit.testsupport.FrozenStoreRequests} checks that a web
 * application answers 503 in bounded time while its store server is frozen.
 */
package io.sessionkit.testsupport;
