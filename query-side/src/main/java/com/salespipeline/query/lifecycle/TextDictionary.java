package com.salespipeline.query.lifecycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Texts numbered from 0 in the order they are first seen: a buffer or a spilled file keeps a row's texts as these
 * small numbers, and the few hundred distinct texts once. Not thread-safe.
 */
final class TextDictionary {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> texts = new ArrayList<>();

    /** The number of {@code text}, given it now if it has none yet. */
    int idOf(String text) {
        Integer id = ids.get(text);
        if (id == null) {
            id = texts.size();
            texts.add(text);
            ids.put(text, id);
        }
        return id;
    }

    /** The text numbered {@code id}; the same instance every time. */
    String text(int id) {
        return texts.get(id);
    }

    /** How many texts are numbered. */
    int size() {
        return texts.size();
    }
}
