package io.sessionkit.core;

import io.sessionkit.SessionBackendException;
import io.sessionkit.SessionException;
import io.sessionkit.spi.Redaction;

import java.util.function.Supplier;

/**
 * Runs the engine's calls to its backend so that every failure reaches the application as the
 * one documented type: a backend that forgot to wrap its client's exception still yields a
 * {@link SessionBackendException} naming the backend and the operation, with ids cut out of
 * the client's message.
 */
final class BackendCalls implements VersionedSave.StoreCalls {

    private final String backendName;

    /**
     * @param backendName the backend's name in messages
     */
    BackendCalls(String backendName) {
        this.backendName = backendName;
    }

    @Override
    public <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SessionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SessionBackendException(backendName, operation, Redaction.message(e.toString()), e);
        }
    }

    void run(String operation, Runnable action) {
        call(operation, () -> {
            action.run();
            return null;
        });
    }
}
