package com.salespipeline.benchmarks.seed;

import com.salespipeline.benchmarks.Progress;
import com.salespipeline.command.contact.ContactRegistry;
import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingToken;

/**
 * Appends generated histories straight into the event store, through the command side's own
 * {@link com.salespipeline.command.audit.ChainedEventStorageEngine}: the same serializer, metadata, hash chain
 * and chain head as commands produce, plus the contact registry row that CaptureLead writes. Several contacts
 * share one transaction, as the group committer lets several commands share one.
 */
public final class EventStoreSeeder {

    /** Segments of the standalone app's pooled projection processor ({@code initial-segment-count} there). */
    public static final int LIVE_SEGMENTS = 1;
    private static final int EVENTS_PER_TRANSACTION = 20_000;
    private static final int SAMPLE_SIZE = 20;

    private final AppEventStore store;

    public EventStoreSeeder(AppEventStore store) {
        this.store = store;
    }

    /** What was seeded: counts, the long-history contacts, and a sample of ordinary contacts to check later. */
    public record Seeded(long contacts, long events, List<UUID> longHistories, List<GeneratedContact> sample) {
    }

    /** Creates the command side's tables (the app migrates its read-model tables itself) and insists on an empty store. */
    public void prepareSchema() {
        SchemaMigration.migrate(store.dataSource, "command");
        long existing = store.eventCount();
        if (existing > 0) {
            throw new IllegalStateException("the event store already holds " + existing
                    + " events; the benchmark needs an empty database");
        }
    }

    /**
     * Seeds {@code contacts} contacts, the first {@code longHistories} of them with exactly
     * {@code longHistoryEvents} events each.
     */
    public Seeded seed(HistoryGenerator generator, long contacts, int longHistories, int longHistoryEvents,
                       Progress progress) {
        List<UUID> longIds = new ArrayList<>();
        List<GeneratedContact> sample = new ArrayList<>();
        List<GeneratedContact> batch = new ArrayList<>();
        int batchEvents = 0;
        long events = 0;
        long sampleEvery = Math.max(1, contacts / SAMPLE_SIZE);
        long started = System.nanoTime();
        for (long i = 0; i < contacts; i++) {
            GeneratedContact contact = i < longHistories ? generator.longHistory(i, longHistoryEvents)
                    : generator.contact(i);
            if (i < longHistories) {
                longIds.add(contact.contactId());
            } else if (i % sampleEvery == 0 && sample.size() < SAMPLE_SIZE) {
                sample.add(contact);
            }
            batch.add(contact);
            batchEvents += contact.events().size();
            if (batchEvents >= EVENTS_PER_TRANSACTION || i == contacts - 1) {
                append(batch);
                events += batchEvents;
                batch.clear();
                batchEvents = 0;
                double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
                progress.update(i + 1, contacts, String.format(Locale.ROOT, "contacts, %d events, %.0f events/s",
                        events, events / seconds));
            }
        }
        return new Seeded(contacts, events, List.copyOf(longIds), List.copyOf(sample));
    }

    private void append(List<GeneratedContact> contacts) {
        List<EventMessage<?>> messages = new ArrayList<>();
        List<Object[]> registry = new ArrayList<>(contacts.size());
        for (GeneratedContact contact : contacts) {
            long sequence = 0;
            for (GeneratedContact.Event event : contact.events()) {
                // identifier and recorded time chosen by Axon, as for an event applied by the aggregate
                messages.add(new GenericDomainEventMessage<>(AppEventStore.AGGREGATE_TYPE,
                        contact.contactId().toString(), sequence++, event.payload(), event.metaData()));
            }
            registry.add(new Object[]{contact.contactId(), ContactRegistry.emailKey(contact.email())});
        }
        store.transactions.executeWithoutResult(tx -> {
            store.engine.appendEvents(messages);
            store.jdbc.batchUpdate("INSERT INTO contact_registry (contact_id, email_key) VALUES (?, ?)", registry);
        });
    }

    /**
     * Places the live projection's position at the head of the seeded history, so that the app's live
     * processor does not build the read model from the seeded events: the replay scenario builds it once.
     * Same token store, table and serializer as the app; the app finds these segments and claims them.
     */
    public TrackingToken startLiveProjectionAtHead() {
        TrackingToken head = store.engine.createHeadToken();
        store.transactions.executeWithoutResult(tx -> store.tokenStore.initializeTokenSegments(
                LifecycleProjection.PROCESSING_GROUP, LIVE_SEGMENTS, head));
        return head;
    }
}
