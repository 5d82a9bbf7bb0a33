package com.salespipeline.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the harness is doing, on stderr: one line per phase, and a progress bar redrawn in place on a terminal
 * (a new line every few seconds otherwise, so that logs stay readable).
 */
public final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LOG_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private String phase = "";
    private long lastDraw;
    private boolean drawn;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public static Progress onStderr() {
        return new Progress(System.err, System.console() != null);
    }

    public static Progress silent() {
        return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()), false);
    }

    public synchronized void phase(String name) {
        endLine();
        phase = name;
        lastDraw = System.nanoTime();
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedSeconds(), name);
    }

    public synchronized void note(String text) {
        endLine();
        // a bar drawn right after a note would only say that nothing was done yet
        lastDraw = System.nanoTime();
        out.printf(Locale.ROOT, "[%6.1fs]   %s%n", elapsedSeconds(), text);
    }

    /** Shows {@code done} of {@code total} (total 0: unknown) with a short detail such as a rate. */
    public synchronized void update(long done, long total, String detail) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && now - lastDraw < (terminal ? REDRAW_NANOS : LOG_NANOS)) {
            return;
        }
        lastDraw = now;
        String bar = total > 0 ? bar(done, total) : "";
        String text = String.format(Locale.ROOT, "[%6.1fs]   %s %s%s %s", elapsedSeconds(), phase, bar,
                total > 0 ? done + "/" + total : String.valueOf(done), detail == null ? "" : detail);
        if (terminal) {
            out.print("\r" + text + "\u001b[K");
            drawn = true;
            if (finished) {
                endLine();
            }
        } else {
            out.println(text);
        }
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String bar(long done, long total) {
        int width = 24;
        int filled = (int) Math.min(width, done * width / Math.max(1, total));
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3d%% ", Math.min(100, done * 100 / Math.max(1, total)));
    }

    private void endLine() {
        if (drawn) {
            out.println();
            drawn = false;
        }
    }
}
