package com.salespipeline.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.app.ApiClient;
import com.salespipeline.benchmarks.app.StandaloneApp;
import java.util.OptionalLong;

/**
 * The app's memory over the whole run. Heap: the app's own actuator metric {@code jvm.memory.used} (area heap),
 * polled every second, so the peak is a sampled one and includes garbage not yet collected (with -Xmx1g the
 * collector lets the heap fill before it works); {@link #heapNowBytes()} after a requested full collection
 * tells what the app really keeps. RSS: the kernel's own peak (VmHWM in /proc/&lt;pid&gt;/status), exact.
 */
public final class MemoryWatch implements AutoCloseable {

    public static final String HEAP_SOURCE = "actuator jvm.memory.used{area=heap}, polled every 1 s";

    private final ApiClient api;
    private final StandaloneApp app;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long samples;

    public MemoryWatch(ApiClient api, StandaloneApp app) {
        this.api = api;
        this.app = app;
        this.poller = new Thread(this::poll, "memory-watch");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running) {
            try {
                peakHeap = Math.max(peakHeap, metric("jvm.memory.used?tag=area:heap"));
                samples++;
            } catch (RuntimeException appBusyOrGone) {
                // a missed sample; the next one comes in a second
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long metric(String name) {
        ApiClient.Reply reply = api.get("/actuator/metrics/" + name, ApiClient.ADMIN);
        if (reply.status() != 200) {
            throw new IllegalStateException("metric " + name + " answered " + reply.status());
        }
        JsonNode measurements = reply.json().get("measurements");
        return measurements == null || measurements.isEmpty() ? 0 : (long) measurements.get(0).get("value").asDouble();
    }

    public long peakHeapBytes() {
        return peakHeap;
    }

    /** The heap in use now, by the same metric. */
    public long heapNowBytes() {
        return metric("jvm.memory.used?tag=area:heap");
    }

    public long samples() {
        return samples;
    }

    public OptionalLong peakRssBytes() {
        return app.peakRssBytes();
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
