package com.salespipeline.distributed;

import com.salespipeline.command.api.HttpClientSupport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of the packaged services (command-side.jar, query-side.jar) running as its own process. */
final class ServiceProcess implements AutoCloseable {

    private final String jar;
    private final Path logFile;
    private final Map<String, String> environment;
    final int port;
    private Process process;

    ServiceProcess(String jarProperty, Path logFile, Map<String, String> environment) throws IOException {
        this.jar = System.getProperty(jarProperty);
        this.logFile = logFile;
        this.environment = environment;
        this.port = freePort();
    }

    HttpClientSupport client() {
        return new HttpClientSupport("http://localhost:" + port);
    }

    ServiceProcess start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        process = builder.start();
        HttpClientSupport http = client();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(jar + " exited during start; see " + logFile);
            }
            try {
                if (http.get("/actuator/health", null).status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(jar + " did not become healthy within 120 s; see " + logFile);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
