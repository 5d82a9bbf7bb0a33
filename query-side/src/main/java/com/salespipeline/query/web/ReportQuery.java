package com.salespipeline.query.web;

/**
 * The parameters every report takes (api.md): capture-time cohort {@code from}/{@code to}, {@code asOf},
 * and the filters {@code source}, {@code campaign}, {@code owner}; bound from the query string as given.
 */
public record ReportQuery(String from, String to, String asOf, String source, String campaign, String owner) {
}
