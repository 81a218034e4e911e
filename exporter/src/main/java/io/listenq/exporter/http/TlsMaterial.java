package io.listenq.exporter.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key stores a TLS connector needs, built from PEM: the server key with its certificate chain, and the client
 * CAs. Everything is read and checked here (that the key belongs to the certificate, as Go's X509KeyPair checks),
 * so a bad file fails at start or reload, never at a client's handshake.
 */
record TlsMaterial(KeyStore keyStore, Optional<KeyStore> trustStore) {
    /** The in-memory key store's password; it never leaves this process. */
    static final String STORE_PASSWORD = "listenq";

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    static TlsMaterial load(TlsSettings s) throws WebConfigException {
        try {
            List<X509Certificate> chain = certificates(read(s.cert()), s.cert());
            PrivateKey key = PemPrivateKey.parse(read(s.key()), s.key().describe());
            checkPair(key, chain.getFirst(), s);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            Optional<KeyStore> trust = Optional.empty();
            if (s.clientCa().isPresent()) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate ca :
                        certificates(read(s.clientCa().get()), s.clientCa().get())) {
                    ts.setCertificateEntry("ca" + i++, ca);
                }
                trust = Optional.of(ts);
            }
            return new TlsMaterial(ks, trust);
        } catch (IOException | GeneralSecurityException e) {
            throw new WebConfigException("TLS material: " + e.getMessage(), e);
        }
    }

    private static String read(TlsSettings.Source source) throws WebConfigException {
        return switch (source) {
            case TlsSettings.InlineSource in -> in.pem();
            case TlsSettings.FileSource f -> {
                try {
                    if (Files.size(f.path()) > WebConfigParser.MAX_BYTES) {
                        throw new WebConfigException("TLS material: " + f.path() + " is too large for PEM");
                    }
                    yield Files.readString(f.path(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new WebConfigException("TLS material: cannot read " + f.path() + ": " + e, e);
                }
            }
        };
    }

    /** The DER contents of every PEM block of this type, in order. */
    static List<byte[]> blocks(String pem, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    private static List<X509Certificate> certificates(String pem, TlsSettings.Source from)
            throws WebConfigException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(pem, "CERTIFICATE")) {
            try {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            } catch (GeneralSecurityException e) {
                throw new WebConfigException(
                        "TLS material: " + from.describe() + ": bad certificate: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new WebConfigException("TLS material: " + from.describe() + ": no PEM CERTIFICATE block");
        }
        return out;
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static void checkPair(PrivateKey key, X509Certificate cert, TlsSettings s) throws WebConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 and RSASSA-PSS sign under their own names
        };
        try {
            byte[] probe = "listenq".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new WebConfigException("TLS material: the private key " + s.key().describe()
                + " does not match the certificate " + s.cert().describe());
    }
}
