package com.salespipeline.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void parsesKeysRolesAndPrincipalNames() {
        ApiKeys keys = ApiKeys.parse("k1=SERVICE:billing, k2=analyst");

        assertThat(keys.find("k1")).hasValueSatisfying(key -> {
            assertThat(key.role()).isEqualTo(Role.SERVICE);
            assertThat(key.principal()).isEqualTo("billing");
        });
        assertThat(keys.find("k2")).hasValueSatisfying(key -> {
            assertThat(key.role()).isEqualTo(Role.ANALYST);
            assertThat(key.principal()).startsWith("analyst-").doesNotContain("k2").hasSize("analyst-".length() + 8);
        });
        assertThat(keys.find("k3")).isEmpty();
    }

    @Test
    void aKeyNeverShowsInItsPrincipalOrToString() {
        ApiKey key = ApiKeys.parse("very-secret-key=ADMIN").find("very-secret-key").orElseThrow();

        assertThat(key.toString()).doesNotContain("very-secret-key");
        assertThat(key.principal()).doesNotContain("secret");
    }

    @Test
    void refusesNoKeysUnknownRolesMalformedEntriesAndDuplicates() {
        assertThatThrownBy(() -> ApiKeys.parse("")).hasMessageContaining("no API keys configured");
        assertThatThrownBy(() -> ApiKeys.parse(" , ")).hasMessageContaining("no API keys configured");
        assertThatThrownBy(() -> ApiKeys.parse("k1=ROOT")).hasMessageContaining("unknown role");
        assertThatThrownBy(() -> ApiKeys.parse("k1")).hasMessageContaining("key=ROLE");
        assertThatThrownBy(() -> ApiKeys.parse("k1=SERVICE,k1=ADMIN")).hasMessageContaining("configured twice");
        assertThatThrownBy(() -> ApiKeys.parse(" =ADMIN,k1=SERVICE")).hasMessageContaining("key=ROLE");
    }

    /** A key and its role written the other way round: the key is in the role's place, and masked there too. */
    @Test
    void aKeyInTheRolesPlaceIsMaskedInTheError() {
        assertThatThrownBy(() -> ApiKeys.parse("ADMIN=Xq9TopSecretKey77"))
                .hasMessageContaining("unknown role").hasMessageNotContaining("TopSecret");
    }
}
