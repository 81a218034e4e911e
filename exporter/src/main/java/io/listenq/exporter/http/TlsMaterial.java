package io.listenq.exporter.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
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

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** PKCS#8 AlgorithmIdentifier for rsaEncryption (RFC 8017 A.1: OID 1.2.840.113549.1.1.1, NULL params). */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    static TlsMaterial load(TlsSettings s) throws WebConfigException {
        try {
            List<X509Certificate> chain = certificates(read(s.cert()), s.cert());
            PrivateKey key = privateKey(read(s.key()), s.key());
            checkPair(key, chain.getFirst(), s);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            Optional<KeyStore> trust = Optional.empty();
            if (s.clientCa().isPresent()) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(read(s.clientCa().get()), s.clientCa().get())) {
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

    private static List<byte[]> blocks(String pem, String type) {
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
                throw new WebConfigException("TLS material: " + from.describe() + ": bad certificate: "
                        + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new WebConfigException("TLS material: " + from.describe() + ": no PEM CERTIFICATE block");
        }
        return out;
    }

    private static PrivateKey privateKey(String pem, TlsSettings.Source from) throws WebConfigException {
        List<byte[]> pkcs8 = blocks(pem, "PRIVATE KEY");
        List<byte[]> pkcs1 = blocks(pem, "RSA PRIVATE KEY");
        byte[] der;
        if (pkcs8.size() + pkcs1.size() != 1) {
            String hint = blocks(pem, "EC PRIVATE KEY").isEmpty() && blocks(pem, "ENCRYPTED PRIVATE KEY").isEmpty()
                    ? "" : " (EC and encrypted keys: convert with openssl pkcs8 -topk8 -nocrypt)";
            throw new WebConfigException("TLS material: " + from.describe()
                    + ": expected exactly one unencrypted PEM PRIVATE KEY or RSA PRIVATE KEY block" + hint);
        }
        der = pkcs8.isEmpty() ? wrapPkcs1(pkcs1.getFirst()) : pkcs8.getFirst();
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new WebConfigException("TLS material: " + from.describe() + ": unreadable private key");
    }

    /** PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + RSA_ALGORITHM_ID.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALGORITHM_ID, 0, body, version.length, RSA_ALGORITHM_ID.length);
        System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM_ID.length, octets.length);
        return tlv(0x30, body);
    }

    /** DER tag-length-value with a definite length (X.690 8.1.3). */
    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        int lenBytes = n < 0x80 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
        byte[] out = new byte[2 + lenBytes + n];
        out[0] = (byte) tag;
        out[1] = (byte) (lenBytes == 0 ? n : 0x80 | lenBytes);
        for (int i = 0; i < lenBytes; i++) {
            out[2 + i] = (byte) (n >>> (8 * (lenBytes - 1 - i)));
        }
        System.arraycopy(value, 0, out, 2 + lenBytes, n);
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
