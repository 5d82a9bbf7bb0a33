package com.salespipeline.query.deadletter;

import java.sql.SQLException;
import org.axonframework.common.jdbc.JdbcException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * Axon's JDBC dead-letter queue reports every database failure as its own {@link JdbcException}. Translated as
 * Spring's JDBC calls are, a lost database becomes the same 503 that every other read answers then, not a 500.
 */
final class QueueFailures {

    private static final SQLExceptionSubclassTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

    private QueueFailures() {
    }

    static RuntimeException translated(JdbcException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                DataAccessException translated = TRANSLATOR.translate("the dead-letter queue", null, sql);
                if (translated != null) {
                    return translated;
                }
            }
        }
        return failure;
    }
}
