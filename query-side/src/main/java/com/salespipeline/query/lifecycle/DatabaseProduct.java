package com.salespipeline.query.lifecycle;

import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;

/** Which database the read model is on, where H2 and PostgreSQL want different statements or settings. */
public final class DatabaseProduct {

    private DatabaseProduct() {
    }

    public static boolean isPostgres(JdbcOperations jdbc) {
        return is(jdbc, "PostgreSQL");
    }

    /**
     * Whether {@code jdbc} is on PostgreSQL, asked of the database the first time the answer is needed and kept: for
     * objects made before their database can be reached.
     */
    public static BooleanSupplier isPostgresOnceAsked(JdbcOperations jdbc) {
        return new BooleanSupplier() {
            private volatile Boolean known;

            @Override
            public boolean getAsBoolean() {
                Boolean answer = known;
                if (answer == null) {
                    answer = isPostgres(jdbc);
                    known = answer;
                }
                return answer;
            }
        };
    }

    public static boolean isH2(JdbcOperations jdbc) {
        return is(jdbc, "H2");
    }

    private static boolean is(JdbcOperations jdbc, String product) {
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                product.equals(connection.getMetaData().getDatabaseProductName())));
    }
}
