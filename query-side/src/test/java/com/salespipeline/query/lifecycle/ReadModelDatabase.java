package com.salespipeline.query.lifecycle;

import com.salespipeline.common.schema.SchemaMigration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** A database with the read model migrated, and the projection on it: no Spring context. */
public final class ReadModelDatabase {

    public final DataSource dataSource;
    public final JdbcTemplate jdbc;
    public final NamedParameterJdbcTemplate named;
    public final JdbcTransactionManager transactions;
    public final LifecycleProjection projection;

    /** A fresh in-memory H2 database. */
    public ReadModelDatabase() {
        this(h2());
    }

    public ReadModelDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
        SchemaMigration.migrate(dataSource, "query");
        jdbc = new JdbcTemplate(dataSource);
        named = new NamedParameterJdbcTemplate(jdbc);
        transactions = new JdbcTransactionManager(dataSource);
        projection = new LifecycleProjection(jdbc, transactions);
    }

    private static DataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:read-model-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }

    public void apply(Envelope envelope) {
        Envelope.dispatch(projection, envelope);
    }

    public void applyAll(List<Envelope> envelopes) {
        envelopes.forEach(this::apply);
    }

    /**
     * Applies the events in transactions of 1 to {@code maxBatch} events each, as an event processor's batches
     * do: each event in a savepoint, the report aggregates written once per transaction.
     */
    public void applyInBatches(List<Envelope> envelopes, java.util.Random random, int maxBatch) {
        org.springframework.transaction.support.TransactionTemplate batch =
                new org.springframework.transaction.support.TransactionTemplate(transactions);
        for (int from = 0; from < envelopes.size(); ) {
            int to = Math.min(envelopes.size(), from + 1 + random.nextInt(maxBatch));
            List<Envelope> events = envelopes.subList(from, to);
            batch.executeWithoutResult(status -> events.forEach(this::apply));
            from = to;
        }
    }

    /**
     * Applies the events as a streaming processor applies a batch with a dead-letter queue: in one transaction,
     * inside Axon's batching unit of work, one message at a time, each at its position {@code firstPosition},
     * {@code firstPosition + 1}, ... in the stream. An event whose handler fails is "parked" (returned) and the batch
     * goes on, except when the failure asks for the batch again ({@link ApplyAgainWithSavepoint}): that one is
     * thrown, and the transaction rolled back.
     */
    public List<Envelope> applyAsStreamingBatch(List<Envelope> envelopes, long firstPosition) {
        List<org.axonframework.eventhandling.TrackedEventMessage<Envelope>> messages = new java.util.ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            messages.add(new org.axonframework.eventhandling.GenericTrackedEventMessage<>(
                    new org.axonframework.eventhandling.GlobalSequenceTrackingToken(firstPosition + i),
                    org.axonframework.eventhandling.GenericEventMessage.asEventMessage(envelopes.get(i))));
        }
        List<Envelope> parked = new java.util.ArrayList<>();
        org.axonframework.messaging.unitofwork.BatchingUnitOfWork<org.axonframework.eventhandling.TrackedEventMessage<Envelope>>
                unitOfWork = new org.axonframework.messaging.unitofwork.BatchingUnitOfWork<>(messages);
        unitOfWork.attachTransaction(new org.axonframework.spring.messaging.unitofwork.SpringTransactionManager(
                transactions));
        org.axonframework.messaging.ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            Envelope envelope = unitOfWork.getMessage().getPayload();
            try {
                apply(envelope);
            } catch (ApplyAgainWithSavepoint again) {
                throw again;
            } catch (RuntimeException cannotApply) {
                parked.add(envelope);
            }
            return null;
        });
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        return parked;
    }

    /** Empties the read model, for a property test's next try. */
    public void clear() {
        for (String table : List.of("read_contact", "read_stage_visit", "read_owner_period", "read_opportunity",
                "read_cohort_count", "read_cohort_month_change", "read_duration_bucket", "read_duration_period",
                "read_duration_captured", "read_report_watermark")) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    /** Every row of every read-model table, in a stable order, as text: for "same state" comparisons. */
    public List<String> dump() {
        List<String> rows = new java.util.ArrayList<>();
        rows.addAll(rows("SELECT * FROM read_contact ORDER BY contact_id"));
        rows.addAll(rows("SELECT * FROM read_stage_visit ORDER BY contact_id, entered_seq"));
        rows.addAll(rows("SELECT * FROM read_owner_period ORDER BY contact_id, from_seq"));
        rows.addAll(rows("SELECT * FROM read_opportunity ORDER BY contact_id, opportunity_id"));
        return rows;
    }

    /** Every row of the report aggregates, in a stable order, as text. */
    public List<String> aggregateDump() {
        List<String> rows = new java.util.ArrayList<>();
        // a change row whose counts are all zero adds nothing: the projection leaves them, a rebuild does not
        rows.addAll(rows("SELECT * FROM read_cohort_count WHERE NOT (" + ReportAggregates.EMPTY_CHANGE
                + ") ORDER BY span, source_key, campaign_key, owner_key, captured_day"));
        rows.addAll(rows("SELECT * FROM read_cohort_month_change WHERE NOT (" + ReportAggregates.NO_COUNTS
                + ") ORDER BY changed_day, captured_month"));
        rows.addAll(rows("SELECT * FROM read_duration_bucket ORDER BY source_key, campaign_key, owner_key, stage, digits, bucket"));
        rows.addAll(rows("SELECT * FROM read_duration_period ORDER BY stage, digits, bucket, ended_period"));
        rows.addAll(rows("SELECT * FROM read_duration_captured ORDER BY captured_day, stage, bucket"));
        rows.addAll(rows("SELECT * FROM read_report_watermark"));
        return rows;
    }

    /**
     * The report aggregates recomputed from the rows, in a transaction as a bulk replay would, with a buffer of
     * three rows: every rebuild but the smallest spills and merges its rows on H2.
     */
    public void rebuildAggregates() {
        rebuildAggregates(3);
    }

    /** {@link #rebuildAggregates()} holding {@code sortBufferRows} rows in memory before spilling them. */
    public void rebuildAggregates(int sortBufferRows) {
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(
                status -> new ReportAggregates(jdbc, null, sortBufferRows).rebuildFromRows());
    }

    /**
     * The rebuild a bulk replay runs on {@code jdbc} ({@link ReportAggregates#rebuildFromFoldedContacts()}), holding
     * {@code sortBufferRows} rows in memory before spilling them.
     */
    public static FoldedRebuild foldedRebuild(JdbcTemplate jdbc, int sortBufferRows) {
        return new ReportAggregates(jdbc, null, sortBufferRows).rebuildFromFoldedContacts();
    }

    private List<String> rows(String sql) {
        return jdbc.query(sql, (rs, n) -> {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
            }
            return row.toString();
        });
    }
}
