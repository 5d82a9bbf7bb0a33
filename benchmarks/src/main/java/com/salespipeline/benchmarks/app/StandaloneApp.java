package com.salespipeline.benchmarks.app;

import com.salespipeline.benchmarks.Progress;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The packaged standalone app as a child process, with its own data folder, port, API keys and datasource
 * environment, exactly as an operator would start it. Its output goes to {@code app.log} in the work folder.
 */
public final class StandaloneApp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private StandaloneApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static StandaloneApp start(Path jar, Path workDir, Map<String, String> environment, String maxHeap,
                                      Progress progress) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no standalone jar at " + jar.toAbsolutePath()
                    + "; build it with ./mvnw -pl standalone -am package -DskipTests, or pass --app-jar");
        }
        int port = freePort();
        Path log = workDir.resolve("app.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (maxHeap != null && !maxHeap.isBlank()) {
            command.add("-Xmx" + maxHeap);
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("PIPELINE_API_KEYS", ApiClient.API_KEYS);
        try {
            Files.createDirectories(workDir);
            StandaloneApp app = new StandaloneApp(builder.start(), port, log);
            progress.note("standalone app pid " + app.pid() + " on port " + port + " (-Xmx" + maxHeap + "), log "
                    + log);
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public void awaitHealthy(ApiClient api, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the standalone app exited with " + process.exitValue()
                        + "; its log ends with:\n" + tail());
            }
            try {
                if (api.get("/actuator/health", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            sleep(250);
        }
        throw new IllegalStateException("the standalone app was not healthy within " + timeoutSeconds
                + " s; its log ends with:\n" + tail());
    }

    /** The peak resident set size so far (VmHWM), from /proc; empty where there is no /proc. */
    public OptionalLong peakRssBytes() {
        return procStatus("VmHWM:");
    }

    public OptionalLong rssBytes() {
        return procStatus("VmRSS:");
    }

    private OptionalLong procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or this is not Linux
        }
        return OptionalLong.empty();
    }

    /** Asks the app's JVM for a full collection (jcmd GC.run), so that the heap in use shows what is live. */
    public void fullGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid() + " GC.run did not succeed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the app as an operator would (SIGTERM, graceful shutdown), killing it only if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** For messages: where the app's output went. */
    public File logFile() {
        return log.toFile();
    }
}
