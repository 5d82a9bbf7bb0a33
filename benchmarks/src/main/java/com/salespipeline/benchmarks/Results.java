package com.salespipeline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The figures of a run as one JSON tree, addressed by dotted paths such as {@code append.h2.c16.p99Ms}. A run on
 * one database replaces that database's figures in an existing results file and keeps the others', so that
 * separate H2 and PostgreSQL runs end up in one file.
 */
public final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String[] SECTIONS = {"append", "lag", "replay", "reports", "history", "memory", "cpu", "seed",
            "run"};

    private final ObjectNode root;

    private Results(ObjectNode root) {
        this.root = root;
    }

    public static Results empty() {
        return new Results(JSON.createObjectNode());
    }

    /** The file's figures, or none when there is no readable file. */
    public static Results load(Path file) {
        if (Files.isRegularFile(file)) {
            try {
                JsonNode existing = JSON.readTree(file.toFile());
                if (existing instanceof ObjectNode object) {
                    return new Results(object);
                }
            } catch (IOException unreadable) {
                // an unreadable old file is replaced rather than merged
            }
        }
        return empty();
    }

    /** Forgets the figures of one database in every section, before a new run on it. */
    public void clear(String db) {
        for (String section : SECTIONS) {
            if (root.get(section) instanceof ObjectNode node) {
                node.remove(db);
            }
        }
    }

    /** The object at a dotted path, created when missing. */
    public ObjectNode at(String path) {
        ObjectNode node = root;
        for (String key : path.split("\\.")) {
            JsonNode child = node.get(key);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(key);
            }
            node = (ObjectNode) child;
        }
        return node;
    }

    /** The value at a dotted path, or null. */
    public JsonNode get(String path) {
        JsonNode node = root;
        for (String key : path.split("\\.")) {
            node = node == null ? null : node.get(key);
        }
        return node == null || node.isMissingNode() || node.isNull() ? null : node;
    }

    public double number(String path) {
        JsonNode node = get(path);
        if (node == null || !node.isNumber()) {
            throw new IllegalStateException("no figure " + path);
        }
        return node.asDouble();
    }

    public JsonNode root() {
        return root;
    }

    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Rounds to what a reader can use: three significant places are plenty for any of these figures. */
    /**
     * A ratio to a baseline, to three significant digits rounded down: a ratio is judged against its target as
     * shown, and rounding to nearest showed 0.4997 as 0.5, a target met that was not.
     */
    public static double ratio(double value, double baseline) {
        double ratio = value / baseline;
        if (ratio <= 0 || Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return ratio;
        }
        double scale = Math.pow(10, Math.max(0, 2 - (int) Math.floor(Math.log10(ratio))));
        // a hair above the product: 0.29 must not come out as 0.289 from 289.99999999999994
        return Math.floor(ratio * scale + 1e-9) / scale;
    }

    public static double round(double value) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, Math.max(0, 2 - (int) Math.floor(Math.log10(Math.abs(value)))));
        return Math.round(value * scale) / scale;
    }
}
