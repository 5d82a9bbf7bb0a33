package com.salespipeline.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class DataDirectoryTest {

    @Test
    void aRelativeFolderIsMadeAbsoluteAgainstTheWorkingDirectory() {
        MockEnvironment environment = new MockEnvironment().withProperty("PIPELINE_DATA_DIR", "mydata/nested");

        new DataDirectory().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("PIPELINE_DATA_DIR"))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("mydata/nested").toString());
    }

    @Test
    void anAbsoluteFolderAndNoneAreLeftAsTheyAre() {
        MockEnvironment absolute = new MockEnvironment().withProperty("PIPELINE_DATA_DIR", "/var/lib/pipeline");
        MockEnvironment none = new MockEnvironment();

        new DataDirectory().postProcessEnvironment(absolute, null);
        new DataDirectory().postProcessEnvironment(none, null);

        assertThat(absolute.getProperty("PIPELINE_DATA_DIR")).isEqualTo("/var/lib/pipeline");
        assertThat(none.getProperty("PIPELINE_DATA_DIR")).isNull();
    }
}
