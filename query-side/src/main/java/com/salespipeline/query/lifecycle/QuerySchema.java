package com.salespipeline.query.lifecycle;

/** Marks that the read-model tables are migrated; beans that touch them take it as a parameter. */
public record QuerySchema(String vendor) {
}
