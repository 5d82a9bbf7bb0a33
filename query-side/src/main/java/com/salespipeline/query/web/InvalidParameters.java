package com.salespipeline.query.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Query parameters that cannot be used, each with what is wrong with it: a 400. */
public class InvalidParameters extends RuntimeException {

    private final transient List<Map<String, String>> errors;

    public InvalidParameters(List<Map<String, String>> errors) {
        super(errors.stream().map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<Map<String, String>> errors() {
        return errors;
    }
}
