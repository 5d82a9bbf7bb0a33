package com.salespipeline.query.lifecycle;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;

/** Which database the read model is on, where H2 and PostgreSQL want different statements or settings. */
public final class DatabaseProduct {

    private DatabaseProduct() {
    }

    public static boolean isPostgres(JdbcOperations jdbc) {
        return is(jdbc, "PostgreSQL");
    }

    public static boolean isH2(JdbcOperations jdbc) {
        return is(jdbc, "H2");
    }

    private static boolean is(JdbcOperations jdbc, String product) {
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                product.equals(connection.getMetaData().getDatabaseProductName())));
    }
}
