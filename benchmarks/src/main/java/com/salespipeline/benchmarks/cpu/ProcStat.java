package com.salespipeline.benchmarks.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of one {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line that CPU accounting
 * needs. The name sits in parentheses and may itself hold spaces and parentheses ("C2 CompilerThre",
 * "WorkPackage[pip"), so the fields are counted from its last closing parenthesis.
 *
 * @param name               the kernel's name of the process or thread
 * @param ownTicks           utime + stime
 * @param endedChildrenTicks cutime + cstime: ended children that were waited for
 */
record ProcStat(String name, long ownTicks, long endedChildrenTicks) {

    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + line);
        }
        // after the name: state(0) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(11)
        // stime cutime cstime
        String[] fields = line.substring(close + 2).trim().split("\\s+");
        return new ProcStat(line.substring(open + 1, close), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
    }

    /** The process's or thread's figures, or empty when it has ended meanwhile. */
    static Optional<ProcStat> read(Path stat) {
        try {
            // the kernel cuts a name at 15 bytes, maybe inside a UTF-8 character: read bytes as they are
            return Optional.of(parse(Files.readString(stat, StandardCharsets.ISO_8859_1)));
        } catch (IOException ended) {
            return Optional.empty();
        }
    }
}
