package com.salespipeline.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void numbersAreWrittenWithoutAnExponent() {
        String text = new Csv("a", "b", "c", "d").row(2.3301036E9, 86400.0, 0.5, 42L).toString();

        assertThat(text).isEqualTo("a,b,c,d\r\n2330103600,86400.0,0.5,42\r\n");
    }

    @Test
    void fieldsWithSeparatorsOrQuotesAreQuotedAndNullIsEmpty() {
        String text = new Csv("x", "y", "z").row("a,b", "say \"hi\"", null).toString();

        assertThat(text).isEqualTo("x,y,z\r\n\"a,b\",\"say \"\"hi\"\"\",\r\n");
    }
}
