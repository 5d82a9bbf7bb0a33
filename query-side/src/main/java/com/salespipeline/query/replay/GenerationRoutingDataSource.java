package com.salespipeline.query.replay;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's data source, with read-model table names in every statement pointed at the right
 * generation. It hands out the transaction-bound connection of the application's data source, so
 * read-model rows commit together with the event processor's token.
 */
public class GenerationRoutingDataSource extends DelegatingDataSource {

    private final ReadModelGenerations generations;

    public GenerationRoutingDataSource(DataSource target, ReadModelGenerations generations) {
        super(target);
        this.generations = generations;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = DataSourceUtils.getConnection(obtainTargetDataSource());
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Routing(connection, true));
    }

    private final class Routing implements InvocationHandler {
        private final Object target;
        private final boolean isConnection;

        Routing(Object target, boolean isConnection) {
            this.target = target;
            this.isConnection = isConnection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (isConnection && method.getName().equals("close")) {
                DataSourceUtils.releaseConnection((Connection) target, obtainTargetDataSource());
                return null;
            }
            if (args != null && args.length > 0 && args[0] instanceof String sql && routesSql(method.getName())) {
                args[0] = generations.route(sql);
            }
            try {
                Object result = method.invoke(target, args);
                return result instanceof Statement statement && method.getName().equals("createStatement")
                        ? Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                        new Routing(statement, false))
                        : result;
            } catch (InvocationTargetException e) {
                throw e.getTargetException();
            }
        }

        private boolean routesSql(String method) {
            return method.startsWith("prepare") || method.startsWith("execute") || method.equals("addBatch")
                    || method.equals("nativeSQL");
        }
    }
}
