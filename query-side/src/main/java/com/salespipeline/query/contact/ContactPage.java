package com.salespipeline.query.contact;

import java.util.List;

/** One page of contacts, oldest capture first, and how many match in all. */
public record ContactPage(List<ContactView> items, int page, int size, long total) {
}
