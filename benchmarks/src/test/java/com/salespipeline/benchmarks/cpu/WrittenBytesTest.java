package com.salespipeline.benchmarks.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrittenBytesTest {

    @Test
    void readsTheWcharLineOfProcIo() {
        String io = "rchar: 9000\nwchar: 123456\nsyscr: 10\nsyscw: 20\nread_bytes: 4096\nwrite_bytes: 8192\n"
                + "cancelled_write_bytes: 0\n";

        assertThat(WrittenBytes.wchar(io)).isEqualTo(123_456);
    }

    @Test
    void aTextWithoutWcharIsNotReadAsZero() {
        assertThatThrownBy(() -> WrittenBytes.wchar("rchar: 9000\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBytesThisProcessWritesToAFileAreCounted(@TempDir Path dir) throws Exception {
        long self = ProcessHandle.current().pid();
        assumeTrue(Files.isReadable(Path.of("/proc/" + self + "/io")), "no /proc/<pid>/io: no such figures here");
        Optional<WrittenBytes> before = WrittenBytes.take(self);

        Files.write(dir.resolve("two-megabytes"), new byte[2 * 1024 * 1024]);
        Optional<WrittenBytes> after = WrittenBytes.take(self);

        assertThat(before).isPresent();
        assertThat(after).isPresent();
        WrittenBytes written = after.get().since(before.get());
        // other threads of this JVM (the test runner's reports) may write too, never less
        assertThat(written.app()).isBetween(2L * 1024 * 1024, 3L * 1024 * 1024);
    }
}
