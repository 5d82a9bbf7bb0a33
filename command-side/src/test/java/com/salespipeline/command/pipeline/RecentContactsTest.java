package com.salespipeline.command.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentContactsTest {

    @Test
    void theContactUsedLongestAgoIsDroppedFirst() {
        RecentContacts contacts = new RecentContacts(2);
        contacts.put("ada", 1);
        contacts.put("bob", 2);
        assertThat(contacts.<String, Integer>get("ada")).isEqualTo(1);

        contacts.put("cyd", 3);

        assertThat(contacts.containsKey("bob")).as("bob was used longest ago").isFalse();
        assertThat(contacts.containsKey("ada")).isTrue();
        assertThat(contacts.containsKey("cyd")).isTrue();
        assertThat(contacts.size()).isEqualTo(2);
    }

    @Test
    void removingOneOrAllForgetsThem() {
        RecentContacts contacts = new RecentContacts(10);
        contacts.put("ada", 1);
        assertThat(contacts.putIfAbsent("ada", 9)).isFalse();
        assertThat(contacts.putIfAbsent("bob", 2)).isTrue();
        contacts.computeIfPresent("bob", (Integer v) -> v + 1);
        assertThat(contacts.<String, Integer>get("bob")).isEqualTo(3);

        assertThat(contacts.remove("ada")).isTrue();
        assertThat(contacts.remove("ada")).isFalse();
        contacts.removeAll();

        assertThat(contacts.size()).isZero();
        assertThat(contacts.<String, Integer>get("bob")).isNull();
    }

    @Test
    void holdsAtLeastOneContact() {
        assertThatThrownBy(() -> new RecentContacts(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
