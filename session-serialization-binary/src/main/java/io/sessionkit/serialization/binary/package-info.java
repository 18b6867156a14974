/**
 * Binary {@code SESSION_SERIALIZATION_FORMAT}s: {@code smile} and {@code cbor}, the json
 * format's record and reading rules in Jackson's binary encodings, registered through
 * {@code META-INF/services/io.sessionkit.spi.SessionSerializer}.
 */
package io.sessionkit.serialization.binary;
