package io.listenq.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys written by openssl in every form Go accepts, each checked against a certificate made from it. */
class PemPrivateKeyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "RSA_PKCS8, PRIVATE KEY, RSA",
        "RSA_PKCS1, RSA PRIVATE KEY, RSA",
        "EC_PKCS8, PRIVATE KEY, EC",
        "EC_SEC1_P256, EC PRIVATE KEY, EC",
        "EC_SEC1_P384, EC PRIVATE KEY, EC",
        "ED25519, PRIVATE KEY, EdDSA"
    })
    void everyFormOpensslWritesLoadsAndMatchesItsCertificate(OpenSsl.KeyForm form, String block, String algorithm)
            throws Exception {
        Path key = OpenSsl.key(dir, "k.pem", form);
        assertThat(Files.readString(key)).startsWith("-----BEGIN " + block + "-----");
        PrivateKey k = PemPrivateKey.parse(Files.readString(key), "k.pem");
        assertThat(k.getAlgorithm()).isEqualTo(algorithm);
        if (form == OpenSsl.KeyForm.EC_SEC1_P384) {
            assertThat(((ECPrivateKey) k).getParams().getCurve().getField().getFieldSize())
                    .isEqualTo(384);
        }
        // TlsMaterial signs with the key and verifies with the certificate: a wrong conversion fails here
        Path cert = OpenSsl.selfSigned(dir, "c.pem", key, "localhost");
        TlsMaterial m = TlsMaterial.load(settings(cert, key));
        assertThat(m.keyStore()
                        .getKey("server", TlsMaterial.STORE_PASSWORD.toCharArray())
                        .getAlgorithm())
                .isEqualTo(algorithm);
    }

    @ParameterizedTest
    @CsvSource({"EC_SEC1_P256, RSA_PKCS1", "RSA_PKCS1, EC_SEC1_P256", "EC_SEC1_P256, EC_SEC1_P256"})
    void aKeyOfAnotherCertificateIsRefused(OpenSsl.KeyForm certKeyForm, OpenSsl.KeyForm otherForm) throws Exception {
        Path certKey = OpenSsl.key(dir, "a.pem", certKeyForm);
        Path other = OpenSsl.key(dir, "b.pem", otherForm);
        Path cert = OpenSsl.selfSigned(dir, "c.pem", certKey, "localhost");
        assertThatThrownBy(() -> TlsMaterial.load(settings(cert, other)))
                .isInstanceOf(WebConfigException.class)
                .hasMessageContaining("does not match");
    }

    @org.junit.jupiter.api.Test
    void explicitCurvesEncryptedKeysAndGarbageAreRefusedWithAReason() throws Exception {
        Path explicit = OpenSsl.key(dir, "x.pem", OpenSsl.KeyForm.EC_SEC1_EXPLICIT);
        assertThatThrownBy(() -> PemPrivateKey.parse(Files.readString(explicit), "x.pem"))
                .isInstanceOf(WebConfigException.class)
                .hasMessageContaining("x.pem")
                .hasMessageContaining("explicit curve parameters");
        assertThatThrownBy(() -> PemPrivateKey.parse("""
                -----BEGIN ENCRYPTED PRIVATE KEY-----
                MAA=
                -----END ENCRYPTED PRIVATE KEY-----
                """, "e.pem")).hasMessageContaining("encrypted keys");
        assertThatThrownBy(() -> PemPrivateKey.parse("""
                -----BEGIN EC PRIVATE KEY-----
                MAUCAQEEAA==
                -----END EC PRIVATE KEY-----
                """, "t.pem"))
                .isInstanceOf(WebConfigException.class)
                .hasMessageContaining("names no curve");
        assertThatThrownBy(() -> PemPrivateKey.parse("""
                -----BEGIN EC PRIVATE KEY-----
                MIIB
                -----END EC PRIVATE KEY-----
                """, "u.pem"))
                .isInstanceOf(WebConfigException.class)
                .hasMessageContaining("DER");
        assertThatThrownBy(() -> PemPrivateKey.parse("", "none.pem")).hasMessageContaining("exactly one");
    }

    private static TlsSettings settings(Path cert, Path key) {
        return new TlsSettings(
                new TlsSettings.FileSource(cert),
                new TlsSettings.FileSource(key),
                TlsSettings.ClientAuth.NO_CLIENT_CERT,
                Optional.empty(),
                TlsSettings.TlsVersion.TLS12,
                TlsSettings.TlsVersion.TLS13,
                List.of(),
                true);
    }
}
