package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.listenq.exporter.http.TlsSettings.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebConfigParserTest {
    /** htpasswd -nbBC 10 prometheus s3cret (Debian apache2-utils). */
    static final String PROMETHEUS_HASH = "$2y$10$.sedpE4XAOTeTFS6vQGry.GJWcpBqsIcP9PZD7C4AcV0YdKh4Ynim";

    @TempDir
    Path dir;

    @Test
    void fullToolkitExampleParses() {
        WebConfig c = WebConfigParser.parse("""
                tls_server_config:
                  cert_file: server.pem
                  key_file: /etc/keys/server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.pem
                  min_version: TLS13
                  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
                  prefer_server_cipher_suites: false
                http_server_config:
                  http2: false
                  headers:
                    X-Frame-Options: deny
                    X-Content-Type-Options: nosniff
                    Strict-Transport-Security: max-age=31536000
                    Content-Security-Policy: ""
                basic_auth_users:
                  prometheus: %s
                """.formatted(PROMETHEUS_HASH), dir);
        TlsSettings tls = c.tls().orElseThrow();
        assertThat(tls.cert()).isEqualTo(new TlsSettings.FileSource(dir.resolve("server.pem")));
        assertThat(tls.key()).isEqualTo(new TlsSettings.FileSource(Path.of("/etc/keys/server.key")));
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(tls.preferServerCipherSuites()).isFalse();
        assertThat(c.headers())
                .containsOnlyKeys(
                        "X-Frame-Options", "X-Content-Type-Options", "Strict-Transport-Security"); // blank: unset
        assertThat(c.users()).containsEntry("prometheus", PROMETHEUS_HASH);
    }

    @Test
    void emptyFileAndEmptyTlsSectionMeanPlainHttp() {
        assertThat(WebConfigParser.parse("", dir)).isEqualTo(WebConfig.PLAIN);
        WebConfig c = WebConfigParser.parse("tls_server_config:\n  cert_file: \"\"\n", dir);
        assertThat(c.tls()).isEmpty();
        assertThat(WebConfigParser.parse("tls_server_config:\n  cert_file: a\n  key_file: b\n", dir)
                        .tls()
                        .orElseThrow()
                        .protocols())
                .containsExactly("TLSv1.2", "TLSv1.3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tls_server_config: [1, 2]                                   | tls_server_config: expected a mapping
            tls_server_config: {cert_file: a}                           | missing one of key or key_file
            tls_server_config: {key_file: a}                            | missing one of cert or cert_file
            tls_server_config: {cert_file: a, key_file: b, cert: c}     | both cert and cert_file are set
            tls_server_config: {cert_file: a, key_file: b, client_auth_type: Maybe} | unknown 'Maybe'
            tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert} | needs client_ca_file
            tls_server_config: {cert_file: a, key_file: b, client_ca_file: c} | client_auth_type is NoClientCert
            tls_server_config: {cert_file: a, key_file: b, min_version: TLS10} | disabled in the JDK
            tls_server_config: {cert_file: a, key_file: b, min_version: TLS99} | unknown TLS version 'TLS99'
            tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12} | above max_version
            tls_server_config: {cert_file: a, key_file: b, cipher_suites: x} | expected a list
            tls_server_config: {cert_file: a, key_file: b, client_allowed_sans: [x]} | client_allowed_sans is not supported
            tls_server_config: {cert_fil: a}                            | unknown key tls_server_config.cert_fil
            rate_limit: {interval: 1s, burst: 2}                        | rate_limit is not supported
            basic_auth: {a: b}                                          | unknown key basic_auth
            http_server_config: {headers: {Content-Type: text/html}}    | header Content-Type can not be configured
            http_server_config: {headers: {X-Frame-Options: allow}}     | invalid value 'allow' for X-Frame-Options
            http_server_config: {http2: yes please}                     | http2: expected true or false
            basic_auth_users: {alice: plaintext}                        | user 'alice' is not a bcrypt hash
            basic_auth_users: {alice: 12}                               | basic_auth_users.alice: expected a string
            basic_auth_users: {alice: '$2y$03$.sedpE4XAOTeTFS6vQGry.GJWcpBqsIcP9PZD7C4AcV0YdKh4Ynim'} | not a bcrypt hash
            basic_auth_users: [alice]                                   | basic_auth_users: expected a mapping
            just a string                                               | the document: expected a mapping
            '{unclosed: [1, 2'                                          | not valid YAML
            """)
    void refusesWithOneLine(String yaml, String problem) {
        assertThatThrownBy(() -> WebConfigParser.parse(yaml, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aSyntaxErrorSaysWhereInOneReadableLine() {
        assertThatThrownBy(() -> WebConfigParser.parse("tls_server_config:\n  cert_file: [a\n", dir))
                .hasMessage("not valid YAML at line 3, column 1: expected ',' or ']', but got <stream end>"
                        + " (while parsing a flow sequence)");
    }

    @Test
    void duplicateKeysAndAliasBombsAreRefused() {
        assertThatThrownBy(() -> WebConfigParser.parse("basic_auth_users: {}\nbasic_auth_users: {}\n", dir))
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("duplicate key");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append("]\n");
        }
        assertThatThrownBy(() -> WebConfigParser.parse(bomb.toString(), dir)).hasMessageContaining("not valid YAML");
    }

    @Test
    void loadNamesTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("web.yml"), "basic_auth_users: {alice: nope}\n");
        assertThatThrownBy(() -> WebConfigParser.load(f))
                .isInstanceOf(WebConfigException.class)
                .hasMessageStartingWith("web config " + f + ": basic_auth_users");
        assertThatThrownBy(() -> WebConfigParser.load(dir.resolve("missing.yml")))
                .hasMessageStartingWith("web config " + dir.resolve("missing.yml") + ": cannot read");
        assertThat(WebConfigParser.load(Files.writeString(
                                dir.resolve("ok.yml"), "basic_auth_users:\n  prometheus: " + PROMETHEUS_HASH + "\n"))
                        .users())
                .hasSize(1);
    }

    @Test
    void inlinePemIsKept() {
        WebConfig c = WebConfigParser.parse("""
                tls_server_config:
                  cert: |
                    -----BEGIN CERTIFICATE-----
                    abc
                    -----END CERTIFICATE-----
                  key_file: k
                """, dir);
        assertThat(c.tls().orElseThrow().cert())
                .isInstanceOfSatisfying(
                        TlsSettings.InlineSource.class, s -> assertThat(s.pem()).contains("BEGIN CERTIFICATE"));
        assertThat(List.of(c.tls().get().cert().describe())).containsExactly("inline cert");
    }
}
