package com.salespipeline.distributed;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker in its own process, from the Kafka jars on the test classpath:
 * it can be stopped and started again on the same log directory, which an in-JVM test broker cannot.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private Process process;

    KafkaBrokerProcess(Path directory, int port, int controllerPort) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Formats the storage once, then starts the broker and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        Path properties = directory.resolve("server.properties");
        if (!Files.exists(properties)) {
            Files.createDirectories(directory);
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@localhost:" + controllerPort,
                    "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://localhost:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + directory.resolve("logs"),
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true", ""));
            Process format = java("kafka.tools.StorageTool", "format", "-t",
                    org.apache.kafka.common.Uuid.randomUuid().toString(), "-c", properties.toString());
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting the Kafka storage failed; see " + directory.resolve("broker.log"));
            }
        }
        process = java("kafka.Kafka", properties.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("localhost", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited; see " + directory.resolve("broker.log"));
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Kafka broker did not listen within 60 s");
    }

    /** Stops the broker as a crash would (SIGKILL); its data stays in the log directory. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private Process java(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(directory.toFile(), "broker.log")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
