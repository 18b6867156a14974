package io.sessionkit.jdbc;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real pool, handed to the store as the application's {@link DataSource}, that records every
 * statement the store executes: each one is a round trip to the database. Connection hand-outs,
 * and the pool's own validation below this wrapper, are not counted.
 */
final class StatementCountingDataSource {

    private final List<String> executed = new ArrayList<>();
    private final DataSource dataSource;

    StatementCountingDataSource(DataSource pool) {
        this.dataSource = proxy(DataSource.class, pool, (method, args, result) ->
                method.getName().equals("getConnection") ? connection((Connection) result) : result);
    }

    /** @return the DataSource to hand to the store */
    DataSource dataSource() {
        return dataSource;
    }

    /** @return the statements executed while {@code work} ran, first words only, in order */
    List<String> during(Runnable work) {
        synchronized (executed) {
            executed.clear();
        }
        work.run();
        synchronized (executed) {
            return List.copyOf(executed);
        }
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, (method, args, result) -> {
            if (method.getName().equals("prepareStatement")) {
                String sql = (String) args[0];
                return proxy(PreparedStatement.class, (PreparedStatement) result, executing(sql));
            }
            if (method.getName().equals("createStatement")) {
                return proxy(Statement.class, (Statement) result, executing(null));
            }
            return result;
        });
    }

    private AfterCall executing(String preparedSql) {
        return (method, args, result) -> {
            if (method.getName().startsWith("execute")) {
                String sql = preparedSql != null ? preparedSql : (String) args[0];
                synchronized (executed) {
                    executed.add(sql.substring(0, sql.indexOf(' ')));
                }
            }
            return result;
        };
    }

    /** What a proxy does with the real call's result. */
    private interface AfterCall {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    private static <T> T proxy(Class<T> type, T real, AfterCall after) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return after.apply(method, args, method.invoke(real, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(StatementCountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
