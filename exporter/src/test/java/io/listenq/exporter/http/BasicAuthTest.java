package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
    /** htpasswd -nbBC 4 alice 'pässwörd' (Debian apache2-utils): a $2y$ hash of a non-ASCII password. */
    static final String ALICE_HASH = "$2y$04$i.wi3R4l2uGP/Geu78yg..jXU/.iuK.hU.Ktq.fc.Qx1KhItjeJUK";

    private final BasicAuth auth =
            new BasicAuth(Map.of("prometheus", WebConfigParserTest.PROMETHEUS_HASH, "alice", ALICE_HASH));

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
        assertThat(auth.check("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())))
                .isFalse();
        assertThat(auth.check(header("prometheus", "x".repeat(200)))).isFalse(); // beyond bcrypt's 72 bytes
        assertThat(auth.check("basic " + header("prometheus", "s3cret").substring(6)))
                .isTrue(); // scheme: any case
    }

    @Test
    void successesAreRememberedSoRepeatedScrapesCostOneBcrypt() {
        for (int i = 0; i < 20; i++) {
            assertThat(auth.check(header("prometheus", "s3cret"), "10.0.0.1")).isEqualTo(BasicAuth.Outcome.OK);
        }
        assertThat(auth.bcryptRuns()).isEqualTo(1);
    }

    /** The defect: 100 distinct wrong guesses evicted the scraper's cached success, so every scrape paid bcrypt. */
    @Test
    void wrongGuessesCannotEvictARememberedSuccess() {
        assertThat(auth.check(header("alice", "pässwörd"))).isTrue();
        BasicAuth.Outcome last = null;
        for (int i = 0; i < 150; i++) { // alice's hash has cost 4: cheap guesses
            last = auth.check("alice", "guess" + i, "10.0.0." + (i % 250));
        }
        assertThat(last).isEqualTo(BasicAuth.Outcome.DENIED);
        long runs = auth.bcryptRuns();
        assertThat(auth.check(header("alice", "pässwörd"), "10.0.0.9")).isEqualTo(BasicAuth.Outcome.OK);
        assertThat(auth.bcryptRuns()).as("no bcrypt for remembered credentials").isEqualTo(runs);
    }

    @Test
    void anAddressWithTooManyFailuresIsRefusedBeforeBcrypt() {
        for (int i = 0; i < FailureLimiter.BURST; i++) {
            assertThat(auth.check("alice", "guess" + i, "192.0.2.7")).isEqualTo(BasicAuth.Outcome.DENIED);
        }
        long runs = auth.bcryptRuns();
        assertThat(auth.check("alice", "pässwörd", "192.0.2.7")).isEqualTo(BasicAuth.Outcome.RATE_LIMITED);
        assertThat(auth.check("mallory", "x", "192.0.2.7")).isEqualTo(BasicAuth.Outcome.RATE_LIMITED);
        assertThat(auth.bcryptRuns()).isEqualTo(runs);
        // another address is not affected, and a remembered success still passes from the limited one
        assertThat(auth.check("alice", "pässwörd", "192.0.2.8")).isEqualTo(BasicAuth.Outcome.OK);
        assertThat(auth.check("alice", "pässwörd", "192.0.2.7")).isEqualTo(BasicAuth.Outcome.OK);
    }

    @Test
    void aFullBcryptQueueRefusesAtOnceInsteadOfQueueingRequestThreads() throws Exception {
        int callers = BcryptPool.THREADS + BcryptPool.QUEUE + 20;
        BasicAuth slow = new BasicAuth(
                Map.of("prometheus", WebConfigParserTest.PROMETHEUS_HASH),
                new FailureLimiter(1_000_000, 1),
                new BcryptPool());
        java.util.List<java.util.concurrent.Future<BasicAuth.Outcome>> outcomes = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                int n = i;
                outcomes.add(threads.submit(() -> slow.check("prometheus", "wrong" + n, "198.51.100.1")));
            }
        }
        long busy = 0;
        for (var f : outcomes) {
            busy += f.get() == BasicAuth.Outcome.BUSY ? 1 : 0;
        }
        assertThat(busy)
                .as("refused at once when the pool and its queue are full")
                .isPositive();
        assertThat(slow.bcryptRuns()).isLessThan(callers);
    }

    /**
     * A wrong password for a known user and any password for an unknown one both cost one bcrypt of the configured
     * cost (the unknown one against a dummy hash), so response time does not tell which users exist. Checked by the
     * work done (deterministic) and by medians of the wall time (loose: the machine is shared).
     */
    @Test
    void knownAndUnknownUsersTakeAsLong() {
        long before = auth.bcryptRuns();
        auth.check("prometheus", "wrong", "203.0.113.1");
        assertThat(auth.bcryptRuns()).isEqualTo(before + 1);
        auth.check("nobody", "wrong", "203.0.113.2");
        assertThat(auth.bcryptRuns()).isEqualTo(before + 2);
        long[] known = new long[15];
        long[] unknown = new long[15];
        for (int i = 0; i < known.length; i++) {
            long t = System.nanoTime();
            auth.check("prometheus", "wrong" + i, "203.0.113." + (10 + i));
            known[i] = System.nanoTime() - t;
            t = System.nanoTime();
            auth.check("nobody" + i, "wrong" + i, "203.0.113." + (100 + i));
            unknown[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(known);
        java.util.Arrays.sort(unknown);
        double ratio = (double) known[known.length / 2] / unknown[unknown.length / 2];
        assertThat(ratio).as("median known / unknown = %s", ratio).isBetween(0.5, 2.0);
    }

    @Test
    void noUsersMeansDisabled() {
        assertThat(new BasicAuth(Map.of()).enabled()).isFalse();
        assertThat(auth.enabled()).isTrue();
    }
}
