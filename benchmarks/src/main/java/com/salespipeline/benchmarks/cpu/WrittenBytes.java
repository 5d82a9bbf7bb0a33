package com.salespipeline.benchmarks.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bytes that the app and the PostgreSQL server had handed to the kernel's write calls at one moment: the
 * {@code wchar} line of {@code /proc/<pid>/io}. On H2 the app is the database, so its writes per command are
 * mostly the pages each group commit stores; on PostgreSQL the server's processes write the WAL and the pages.
 * Two readings give the bytes written per command of an append level, a figure that does not drift with the
 * machine's speed as commands per second do. Sockets count too: an HTTP answer or a JDBC round trip is a few
 * hundred bytes against tens of kilobytes of pages per command.
 *
 * <p>The server's bytes are summed over the processes named {@code postgres} living at each reading. A backend
 * that started in between counts all it wrote, which it wrote in between; one that ended in between takes its
 * earlier bytes out of the sum, so the difference would come out low (the app and the harness keep their
 * connections open for the whole level).
 *
 * @param app      bytes the app process had written, all its threads
 * @param postgres bytes the processes named postgres had written
 */
public record WrittenBytes(long app, long postgres) {

    private static final Path PROC = Path.of("/proc");

    /** What {@code /proc} tells now; empty off Linux or when the app's figures cannot be read. */
    public static Optional<WrittenBytes> take(long appPid) {
        try {
            long app = wchar(Files.readString(PROC.resolve(appPid + "/io")));
            long postgres = 0;
            for (Path process : CpuSnapshot.postgresProcesses().keySet()) {
                try {
                    postgres += wchar(Files.readString(process.resolve("io")));
                } catch (IOException ended) {
                    // gone between the listing and the reading: its bytes are not in either reading
                }
            }
            return Optional.of(new WrittenBytes(app, postgres));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The value of the {@code wchar:} line of a {@code /proc/<pid>/io} text. */
    static long wchar(String io) {
        for (String line : io.split("\n")) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).trim());
            }
        }
        throw new IllegalArgumentException("no wchar line in " + io);
    }

    /** The bytes written between {@code before} and this reading. */
    public WrittenBytes since(WrittenBytes before) {
        return new WrittenBytes(app - before.app, postgres - before.postgres);
    }
}
