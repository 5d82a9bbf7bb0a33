package com.salespipeline.command.contact;

import java.util.List;

/** Qualification needs all four BANT answers: budget, authority, need and timeline. */
public class BantIncomplete extends ContactRefused {

    private final List<String> missing;

    public BantIncomplete(List<String> missing) {
        super("QualifyLead needs all four BANT answers; missing: " + missing);
        this.missing = List.copyOf(missing);
    }

    @Override
    public String code() {
        return "bant-incomplete";
    }

    /** The names of the blank answers, as the command's fields call them. */
    public List<String> missing() {
        return missing;
    }
}
