package com.salespipeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void postgresSettingsAreKeptInTheOrderGivenWithEverythingAfterTheFirstEquals() {
        Options options = Options.parse("--db", "postgres", "--postgres-setting", "max_wal_size=8GB",
                "--postgres-setting", "options=-c a=b");

        assertThat(options.postgresSettings).containsExactly(Map.entry("max_wal_size", "8GB"),
                Map.entry("options", "-c a=b"));
        assertThat(Options.parse("--db", "postgres").postgresSettings).isEmpty();
    }

    @Test
    void theClientChoosesContactIdsUnlessTheServerIsAskedTo() {
        assertThat(Options.parse("--quick").serverChosenContactIds).isFalse();
        assertThat(Options.parse("--contact-ids", "client").serverChosenContactIds).isFalse();
        assertThat(Options.parse("--contact-ids", "Server").serverChosenContactIds).isTrue();
        assertThatThrownBy(() -> Options.parse("--contact-ids", "v7"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client or server");
    }

    @Test
    void aSettingWithoutANameIsRefused() {
        assertThatThrownBy(() -> Options.parse("--postgres-setting", "max_wal_size"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=value");
        assertThatThrownBy(() -> Options.parse("--postgres-setting", "=8GB"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=value");
    }

    @Test
    void aSettingForAGivenServerIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> Options.parse("--db", "postgres", "--postgres-url", "jdbc:postgresql://db:5432/bench",
                "--postgres-setting", "max_wal_size=8GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--postgres-setting is for the embedded PostgreSQL")
                .hasMessageContaining("max_wal_size");
        assertThat(Options.parse("--db", "postgres", "--postgres-url", "jdbc:postgresql://db:5432/bench").postgresUrl)
                .isEqualTo("jdbc:postgresql://db:5432/bench");
    }
}
