package com.salespipeline.command.api;

/** A request field that passed JSON binding but is still not acceptable. */
class InvalidField extends RuntimeException {

    private final String field;

    InvalidField(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
