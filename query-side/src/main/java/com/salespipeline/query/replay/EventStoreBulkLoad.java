package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.FoldedContact;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.lifecycle.ReadAhead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk phase of a replay from Axon's JDBC event store: reads every stored event up to the store's
 * current head, contact by contact ({@code ORDER BY aggregate_identifier, sequence_number}) on a thread of its own
 * ({@link ReadAhead}), upcasts and deserialises it as the event store would, folds each contact's history in memory
 * ({@link LifecycleFold}) and inserts the final rows {@code contactsPerCommit} contacts at a time on another thread,
 * behind the fold: on H2 with JDBC batches, a transaction each; on PostgreSQL into one {@code COPY} per table that
 * writes them frozen ({@link FrozenBaseRows}).
 * The generation's non-unique indexes are dropped for the load and built afterwards ({@link SecondaryIndexes}).
 *
 * <p>What the sorted read could not see, it hands on: the returned token is at the head it read up to, with
 * a gap for every global index within {@code gapWindow} below the head that it did not see (an event whose
 * transaction was still open). Streaming from that token, as a tracking processor would, delivers exactly
 * those events and everything stored later.
 */
public class EventStoreBulkLoad {

    private static final Logger log = LoggerFactory.getLogger(EventStoreBulkLoad.class);
    private static final int READ_AHEAD_EVENTS = 500;

    private final DataSource dataSource;
    private final EventSchema schema;
    private final Serializer serializer;
    private final EventUpcaster upcasters;
    private final ReadModelGenerations generations;
    private final JdbcTemplate readModels;
    private final TransactionTemplate transactions;
    private final ReadModelBulkWriter writer;
    private final int contactsPerCommit;
    private final int fetchSize;
    private final int gapWindow;
    private final SecondaryIndexes secondaryIndexes;
    private final long keepAggregateIndexesFromContacts;
    /** Written by the rows' thread, read once it finished: {@link BatchesBehind#finish()} orders the two. */
    private long writeNanos;
    private long rowsWaitNanos;
    private long contactsWritten;

    /**
     * @param dataSource the event store's database, which also holds the read models (the standalone app)
     * @param readModels JDBC routed to the generation of {@link ReadModelGenerations#on}
     * @param gapWindow  how far below the head an unseen index still counts as a gap: Axon's own
     *                   {@code maxGapOffset} (10,000), beyond which a tracking token forgets gaps too
     */
    public EventStoreBulkLoad(DataSource dataSource, EventSchema schema, Serializer serializer, EventUpcaster upcasters,
                              ReadModelGenerations generations, JdbcTemplate readModels, TransactionTemplate transactions,
                              int contactsPerCommit, int batchRows, int fetchSize, int gapWindow) {
        this(dataSource, schema, serializer, upcasters, generations, readModels, transactions, contactsPerCommit,
                batchRows, fetchSize, gapWindow, SecondaryIndexes.KEEP_UP_FROM_CONTACTS);
    }

    /**
     * @param keepAggregateIndexesFromContacts from how many contacts H2 keeps the aggregates' indexes up while it
     *                                         writes them rather than building them after
     *                                         ({@link SecondaryIndexes#KEEP_UP_FROM_CONTACTS})
     */
    public EventStoreBulkLoad(DataSource dataSource, EventSchema schema, Serializer serializer, EventUpcaster upcasters,
                              ReadModelGenerations generations, JdbcTemplate readModels, TransactionTemplate transactions,
                              int contactsPerCommit, int batchRows, int fetchSize, int gapWindow,
                              long keepAggregateIndexesFromContacts) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.serializer = serializer;
        this.upcasters = upcasters;
        this.generations = generations;
        this.readModels = readModels;
        this.transactions = transactions;
        this.writer = new ReadModelBulkWriter(100, batchRows, generations::route);
        this.contactsPerCommit = contactsPerCommit;
        this.fetchSize = fetchSize;
        this.gapWindow = gapWindow;
        this.secondaryIndexes = new SecondaryIndexes(dataSource);
        this.keepAggregateIndexesFromContacts = keepAggregateIndexesFromContacts;
    }

    /**
     * Loads the whole history into the (empty) generation {@code target}, and has {@code derived} write what it
     * derives from the contacts: shown each contact as it is written, finished with the rows complete. The
     * secondary indexes are built after the rows they index: the base tables' while {@code derived} finishes (it reads
     * no base row) and the derived tables' after it (on PostgreSQL two at once); on H2, for a large history, the
     * derived tables get theirs before {@code derived} writes them, and keep them up as it goes
     * ({@link SecondaryIndexes#keepsIndexesDuringTheAggregates}). On
     * PostgreSQL the base tables are then vacuumed (on the index thread) and the derived tables analyzed, so that
     * reports on the new generation are planned on its rows.
     *
     * @param progress told how many more events were applied, as their rows are written (on the rows' own thread)
     * @return where the per-event stream has to continue; null if the store held no event
     */
    public GapAwareTrackingToken load(String target, LongConsumer progress, FoldedRebuild derived) {
        try {
            long start = System.nanoTime();
            writeNanos = 0;
            rowsWaitNanos = 0;
            contactsWritten = 0;
            List<SecondaryIndexes.Index> baseIndexes = secondaryIndexes.dropAll(ReplayService.BASE_TABLES, target,
                    generations.active());
            List<SecondaryIndexes.Index> derivedIndexes = secondaryIndexes.dropAll(ReplayService.DERIVED_TABLES,
                    target, generations.active());
            Read read = read(target, progress, derived::folded);
            GapAwareTrackingToken token = read.token();
            long loaded = System.nanoTime();
            int keptUp = 0;
            // the aggregate tables are still empty: derived writes them in finish()
            if (secondaryIndexes.keepsIndexesDuringTheAggregates(contactsWritten, keepAggregateIndexesFromContacts)) {
                secondaryIndexes.createAll(derivedIndexes);
                keptUp = derivedIndexes.size();
                derivedIndexes = List.of();
            }
            boolean vacuumSpared = read.allVisible();
            long[] aggregatesNanos = new long[1];
            long baseIndexing = indexBeside(() -> {
                secondaryIndexes.createAll(baseIndexes);
                if (vacuumSpared) {
                    secondaryIndexes.analyzeOnPostgres(ReplayService.BASE_TABLES, target);
                } else {
                    secondaryIndexes.vacuumOnPostgres(ReplayService.BASE_TABLES, target);
                }
            }, () -> {
                long writing = System.nanoTime();
                finish(target, derived);
                aggregatesNanos[0] = System.nanoTime() - writing;
            });
            long finished = System.nanoTime();
            secondaryIndexes.createAtOnce(derivedIndexes);
            long indexed = System.nanoTime();
            secondaryIndexes.analyzeOnPostgres(ReplayService.DERIVED_TABLES, target);
            // the step lasts as long as the longer of its two threads; each one's own time says which held it up
            String aggregates = String.format("%d ms writing the report aggregates%s (%d ms of it their own) beside"
                            + " %d ms building %d indexes (and on PostgreSQL %s their tables)",
                    (finished - loaded) / 1_000_000,
                    keptUp > 0 ? String.format(" and keeping up their %d indexes", keptUp) : "",
                    aggregatesNanos[0] / 1_000_000, baseIndexing / 1_000_000, baseIndexes.size(),
                    vacuumSpared ? "analyzing" : "vacuuming");
            String steps = derivedIndexes.isEmpty() ? aggregates : String.format("%s, then %d ms building their %d"
                            + " indexes and %d ms (on PostgreSQL) analyzing them", aggregates,
                    (indexed - finished) / 1_000_000, derivedIndexes.size(), (System.nanoTime() - indexed) / 1_000_000);
            String rows = String.format("%d ms reading, deserialising and folding, %d ms inserting rows beside it (the"
                    + " fold waited %d ms for them)", (loaded - start) / 1_000_000, writeNanos / 1_000_000,
                    rowsWaitNanos / 1_000_000);
            log.info("bulk load of generation {}: {}; {}", target, rows, steps);
            return token;
        } catch (SQLException e) {
            throw new IllegalStateException("bulk replay could not rebuild the indexes of generation " + target, e);
        }
    }

    private void finish(String target, FoldedRebuild derived) {
        generations.on(target, () -> {
            derived.finish();
            return null;
        });
    }

    /**
     * Runs {@code indexes} (building the base tables' indexes, and on PostgreSQL vacuuming the tables) on a thread of
     * its own while {@code work} runs on this one (H2 builds an index on one core, and the rebuild that does not read
     * the base rows writes other tables); returns how long {@code indexes} took.
     */
    private long indexBeside(IndexWork indexes, Runnable work) throws SQLException {
        ExecutorService indexing = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "replay-indexes");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Long> built = indexing.submit(() -> {
                long start = System.nanoTime();
                indexes.run();
                return System.nanoTime() - start;
            });
            try {
                work.run();
            } catch (RuntimeException | Error failure) {
                // the indexes' own failure, if any, goes with it rather than unseen
                try {
                    built.get();
                } catch (ExecutionException indexFailure) {
                    failure.addSuppressed(indexFailure.getCause());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw failure;
            }
            return built.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            throw new IllegalStateException("bulk replay could not build the indexes", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the indexes were built", e);
        } finally {
            // an index half built when the work failed: the next replay drops and builds it again
            indexing.shutdown();
            try {
                indexing.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a read of the store returns: where the per-event stream has to continue, and whether the base rows were
     * written frozen with their pages marked all-visible.
     */
    private record Read(GapAwareTrackingToken token, boolean allVisible) {
    }

    private Read read(String target, LongConsumer progress, Consumer<FoldedContact> folded) {
        try (Connection connection = dataSource.getConnection()) {
            boolean h2 = connection.getMetaData().getDatabaseProductName().equals("H2");
            boolean postgres = connection.isWrapperFor(PGConnection.class);
            boolean autoCommit = connection.getAutoCommit();
            // PostgreSQL streams a result with a fetch size only inside a transaction; read-only, it takes no locks
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                if (!postgres) {
                    return new Read(load(connection, h2, target, progress, folded, null), false);
                }
                try (FrozenBaseRows frozen = FrozenBaseRows.begin(dataSource, writer, target)) {
                    GapAwareTrackingToken token = load(connection, false, target, progress, folded, frozen);
                    try {
                        frozen.commit();
                    } catch (SQLException e) {
                        // the server may refuse a row only as its copy ends: the status shows this message alone
                        throw new IllegalStateException("bulk replay could not write the base rows into generation "
                                + target + ": " + e.getMessage(), e);
                    }
                    return new Read(token, frozen.spareVacuum());
                }
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("bulk replay could not read the event store", e);
        }
    }

    /** @param frozen where the base rows go on PostgreSQL; null: a transaction per batch through {@code readModels} */
    private GapAwareTrackingToken load(Connection connection, boolean h2, String target, LongConsumer progress,
                                       Consumer<FoldedContact> folded, FrozenBaseRows frozen) throws SQLException {
        Long head = head(connection);
        if (head == null) {
            return null;
        }
        long windowStart = Math.max(1, head - gapWindow);
        BitSet seen = new BitSet((int) (head - windowStart + 1));
        try (SortedRows rows = sortedHistory(connection, h2);
             ReadAhead<List<DomainEventData<?>>> stored = ReadAhead.inLists(new StoredEvents(rows, index -> {
                 if (index > head) {
                     return false;
                 }
                 if (index >= windowStart) {
                     seen.set((int) (index - windowStart));
                 }
                 return true;
             }), READ_AHEAD_EVENTS, "replay-read")) {
            // read on a thread of its own: the cursor asks for the next rows only when the last are used up,
            // so without it the server (or H2's B-tree) and the fold would take turns
            DomainEventStream events = EventStreamUtils.upcastAndDeserializeDomainEvents(
                    StreamSupport.stream(Spliterators.spliteratorUnknownSize(stored, Spliterator.ORDERED), false)
                            .flatMap(List::stream), serializer, upcasters);
            Consumer<Folded> written = batch -> {
                write(target, batch.contacts(), frozen);
                progress.accept(batch.events());
            };
            // the rows are written beside the fold on both databases: on H2 that made the replay slower until the
            // event store was read on a thread of its own too (docs/benchmarks.md, sessions 33 and 44)
            try (BatchesBehind<ContactRows> derive = new BatchesBehind<>(contact -> folded.accept(contact.folded()),
                    "replay-derive");
                 BatchesBehind<Folded> behind = new BatchesBehind<>(written, "replay-rows")) {
                fold(events, derive, batch -> behind.accept(List.of(batch)));
                derive.finish();
                behind.finish();
                rowsWaitNanos = behind.waitNanos();
            }
        }
        TreeSet<Long> gaps = new TreeSet<>();
        for (long index = windowStart; index < head; index++) {
            if (!seen.get((int) (index - windowStart))) {
                gaps.add(index);
            }
        }
        return GapAwareTrackingToken.newInstance(head, gaps);
    }

    private void fold(DomainEventStream events, BatchesBehind<ContactRows> derive, Consumer<Folded> written) {
        LifecycleFold fold = new LifecycleFold();
        List<ContactRows> pending = new ArrayList<>(contactsPerCommit);
        String contact = null;
        long eventsInPending = 0;
        long sequence = -1;
        while (true) {
            DomainEventMessage<?> event;
            try {
                if (!events.hasNext()) {
                    break;
                }
                event = events.next();
            } catch (RuntimeException e) {
                // the stream reads ahead and deserialises lazily: the event that failed is the one after the last read
                throw new IllegalStateException("replay could not read the stored event after " + (contact == null
                        ? "none (the first by contact and sequence)" : "contact " + contact + "'s sequence " + sequence)
                        + ": " + rootCause(e).getMessage(), e);
            }
            sequence = event.getSequenceNumber();
            if (!event.getAggregateIdentifier().equals(contact)) {
                if (fold.rows() != null) {
                    pending.add(fold.rows());
                }
                fold.reset();
                contact = event.getAggregateIdentifier();
                if (pending.size() >= contactsPerCommit) {
                    handOn(new Folded(pending, eventsInPending), derive, written);
                    eventsInPending = 0;
                    pending = new ArrayList<>(contactsPerCommit);
                }
            }
            try {
                fold.apply(event.getPayload(), event.getSequenceNumber());
            } catch (RuntimeException e) {
                throw new IllegalStateException("replay could not apply event " + event.getIdentifier()
                        + " (contact " + contact + ", sequence " + event.getSequenceNumber() + ")", e);
            }
            eventsInPending++;
        }
        if (fold.rows() != null) {
            pending.add(fold.rows());
        }
        handOn(new Folded(pending, eventsInPending), derive, written);
    }

    /** What failed at the bottom: the reading thread's failure comes wrapped, and the status shows one message. */
    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The two consumers only read the folded rows, which the fold no longer touches. */
    private static void handOn(Folded batch, BatchesBehind<ContactRows> derive, Consumer<Folded> written) {
        if (!batch.contacts().isEmpty()) {
            derive.accept(batch.contacts());
            written.accept(batch);
        }
    }

    /** Contacts folded together, and how many events they were folded from: counted as applied once written. */
    private record Folded(List<ContactRows> contacts, long events) {
    }

    /** On the rows' own thread: the fold goes on while the server (or, on H2, another core) takes them in. */
    private void write(String target, List<ContactRows> contacts, FrozenBaseRows frozen) {
        long start = System.nanoTime();
        if (frozen != null) {
            try {
                frozen.write(contacts);
            } catch (SQLException e) {
                // the status shows this message alone: what the server said names the table and row it refused
                throw new IllegalStateException("bulk replay could not write the base rows into generation " + target
                        + " (while sending those of contacts " + contacts.get(0).contactId + " to "
                        + contacts.get(contacts.size() - 1).contactId + "): " + e.getMessage(), e);
            }
        } else {
            generations.on(target, () -> transactions.execute(tx -> readModels.execute(
                    (ConnectionCallback<Void>) connection -> {
                        writer.write(connection, contacts);
                        return null;
                    })));
        }
        writeNanos += System.nanoTime() - start;
        contactsWritten += contacts.size();
    }

    private Long head(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT MAX(" + schema.globalIndexColumn() + ") FROM "
                     + schema.domainEventTable())) {
            result.next();
            long head = result.getLong(1);
            return result.wasNull() ? null : head;
        }
    }

    /**
     * Every stored event in the order of contact and sequence, from the unique index. PostgreSQL streams one result
     * with the fetch size inside the read's transaction; H2 reads pages of that size, each a statement of its own
     * ({@link HistoryPages}: a lazy result read pages that a compaction beside it had freed).
     */
    private SortedRows sortedHistory(Connection connection, boolean h2) throws SQLException {
        String selectFrom = "SELECT " + String.join(", ", schema.globalIndexColumn(), schema.typeColumn(),
                schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn(), schema.eventIdentifierColumn(),
                schema.timestampColumn(), schema.payloadTypeColumn(), schema.payloadRevisionColumn(),
                schema.payloadColumn(), schema.metaDataColumn()) + " FROM " + schema.domainEventTable();
        if (h2) {
            return new HistoryPages(connection, selectFrom, schema.aggregateIdentifierColumn(),
                    schema.sequenceNumberColumn(), 3, 4, fetchSize);
        }
        // no condition on the global index: on H2 one made the plan range-scan the primary key and sort the whole
        // history, instead of streaming it in the order of the unique index
        PreparedStatement query = connection.prepareStatement(selectFrom + " ORDER BY "
                        + schema.aggregateIdentifierColumn() + ", " + schema.sequenceNumberColumn(),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            query.setFetchSize(fetchSize);
            return SortedRows.streamed(query, query.executeQuery());
        } catch (SQLException | RuntimeException e) {
            query.close();
            throw e;
        }
    }

    /**
     * The sorted rows as Axon's stored-event entries (payload and metadata as text), with only the rows whose
     * global index {@code wanted} accepts.
     */
    private static final class StoredEvents implements Iterator<DomainEventData<?>> {
        private final SortedRows sorted;
        private final LongPredicate wanted;
        private Boolean hasNext;

        StoredEvents(SortedRows sorted, LongPredicate wanted) {
            this.sorted = sorted;
            this.wanted = wanted;
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                try {
                    do {
                        hasNext = sorted.next();
                    } while (hasNext && !wanted.test(sorted.row().getLong(1)));
                } catch (SQLException e) {
                    throw new IllegalStateException("bulk replay could not read the event store", e);
                }
            }
            return hasNext;
        }

        @Override
        public DomainEventData<?> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            ResultSet rows = sorted.row();
            try {
                // each value read once: the driver decodes the text again on every call
                String payload = rows.getString(9);
                String metaData = rows.getString(10);
                if (payload == null || metaData == null) {
                    throw new IllegalStateException("the stored event " + rows.getString(5) + " (contact "
                            + rows.getString(3) + ", sequence " + rows.getLong(4) + ") has no "
                            + (payload == null ? "payload" : "metadata"));
                }
                return new GenericDomainEventEntry<>(rows.getString(2), rows.getString(3), rows.getLong(4),
                        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8), payload,
                        metaData);
            } catch (SQLException e) {
                throw new IllegalStateException("bulk replay could not read the event store", e);
            }
        }
    }

    /** What is built beside the rebuild's other work. */
    @FunctionalInterface
    private interface IndexWork {
        void run() throws SQLException;
    }
}
