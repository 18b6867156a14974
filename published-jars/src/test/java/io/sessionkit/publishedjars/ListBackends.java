package io.sessionkit.publishedjars;

import io.sessionkit.Session;
import io.sessionkit.core.BackendRegistry;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInterface;
import java.util.Map;

/**
 * Run by {@link ModulePathTest} with the published jars on the module path: prints each installed
 * backend type with the module of its provider, then one filesystem session saved and read back.
 */
public final class ListBackends {

    private ListBackends() {
    }

    /**
     * @param args one argument: the directory for the filesystem backend's files
     */
    public static void main(String[] args) {
        BackendRegistry registry = BackendRegistry.load();
        for (String type : registry.types()) {
            System.out.println("backend " + type + " " + registry.provider(type).getClass().getModule().getName());
        }
        SessionConfig config = SessionConfig.load(Map.of("SESSION_TYPE", "filesystem", "SESSION_FILE_DIR", args[0]));
        try (SessionInterface sessions = SessionInterface.create(config)) {
            Session session = sessions.open(null);
            session.put("visits", 1);
            sessions.save(session);
            Session again = sessions.open(session.id());
            System.out.println("read back visits=" + again.get("visits", Integer.class)
                    + " from " + SessionInterface.class.getModule().getName());
        }
    }
}
