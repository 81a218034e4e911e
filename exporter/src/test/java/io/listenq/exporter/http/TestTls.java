package io.listenq.exporter.http;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Client-side TLS contexts from the fixtures in src/test/resources/tls (see make.sh there). */
final class TestTls {
    static final Path DIR = Path.of("src/test/resources/tls").toAbsolutePath();

    private TestTls() {}

    /** Trusts {@code caPem}; presents {@code clientPem}/{@code clientKey} when not null. */
    static SSLContext client(String caPem, String clientPem, String clientKey) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(material(caPem, null).keyStore());
        KeyManagerFactory kmf = null;
        if (clientPem != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(material(clientPem, clientKey).keyStore(), TlsMaterial.STORE_PASSWORD.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A key store holding {@code certPem} (as a trusted entry when {@code keyFile} is null). */
    private static TlsMaterial material(String certPem, String keyFile) throws Exception {
        if (keyFile == null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            var cf = java.security.cert.CertificateFactory.getInstance("X.509");
            try (var in = java.nio.file.Files.newInputStream(DIR.resolve(certPem))) {
                ks.setCertificateEntry("ca", cf.generateCertificate(in));
            }
            return new TlsMaterial(ks, Optional.empty());
        }
        return TlsMaterial.load(new TlsSettings(
                new TlsSettings.FileSource(DIR.resolve(certPem)),
                new TlsSettings.FileSource(DIR.resolve(keyFile)),
                TlsSettings.ClientAuth.NO_CLIENT_CERT,
                Optional.empty(),
                TlsSettings.TlsVersion.TLS12,
                TlsSettings.TlsVersion.TLS13,
                List.of(),
                true));
    }
}
