package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    /** htpasswd -nbBC 4 alice 'pässwörd' (Debian apache2-utils): a $2y$ hash of a non-ASCII password. */
    static final String ALICE_HASH = "$2y$04$i.wi3R4l2uGP/Geu78yg..jXU/.iuK.hU.Ktq.fc.Qx1KhItjeJUK";

    private final BasicAuth auth = new BasicAuth(Map.of("prometheus", WebConfigParserTest.PROMETHEUS_HASH,
            "alice", ALICE_HASH));

    private static String header(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void htpasswdHashesVerify() {
        assertThat(auth.check(header("prometheus", "s3cret"))).isTrue();
        assertThat(auth.check(header("alice", "pässwörd"))).isTrue();
        assertThat(auth.check(header("alice", "passwort"))).isFalse();
        assertThat(auth.check(header("prometheus", "s3cret "))).isFalse();
        assertThat(auth.check(header("alice", "s3cret"))).isFalse(); // another user's password
    }

    @Test
    void unknownUsersAndMalformedHeadersFail() {
        assertThat(auth.check(header("mallory", "s3cret"))).isFalse();
        assertThat(auth.check(null)).isFalse();
        assertThat(auth.check("Bearer abc")).isFalse();
        assertThat(auth.check("Basic !!!not-base64")).isFalse();
        assertThat(auth.check("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()))).isFalse();
        assertThat(auth.check(header("prometheus", "x".repeat(200)))).isFalse(); // beyond bcrypt's 72 bytes
        assertThat(auth.check("basic " + header("prometheus", "s3cret").substring(6))).isTrue(); // scheme: any case
    }

    @Test
    void outcomesAreCachedSoRepeatedScrapesCostOneBcrypt() {
        for (int i = 0; i < 20; i++) {
            assertThat(auth.check(header("prometheus", "s3cret"))).isTrue();
            assertThat(auth.check(header("prometheus", "wrong"))).isFalse();
        }
        assertThat(auth.bcryptRuns()).isEqualTo(2);
        // The cache is bounded: distinct wrong guesses evict, never grow it past CACHE_SIZE.
        for (int i = 0; i < BasicAuth.CACHE_SIZE + 5; i++) {
            auth.check("alice", "guess" + i);
        }
        assertThat(auth.check(header("prometheus", "s3cret"))).isTrue();
        assertThat(auth.bcryptRuns()).isEqualTo(2 + BasicAuth.CACHE_SIZE + 5 + 1);
    }

    @Test
    void noUsersMeansDisabled() {
        assertThat(new BasicAuth(Map.of()).enabled()).isFalse();
        assertThat(auth.enabled()).isTrue();
    }
}
