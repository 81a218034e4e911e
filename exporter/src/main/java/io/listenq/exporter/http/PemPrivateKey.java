package io.listenq.exporter.http;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

/**
 * An unencrypted PEM private key in any of the forms OpenSSL writes and Go's tls.X509KeyPair accepts:
 * {@code PRIVATE KEY} (PKCS#8, RFC 5208), {@code RSA PRIVATE KEY} (PKCS#1, RFC 8017 A.1.2) and
 * {@code EC PRIVATE KEY} (SEC1, RFC 5915). The JDK reads only PKCS#8, so the other two are wrapped into a
 * PKCS#8 PrivateKeyInfo here, with a few lines of DER instead of a 10 MB crypto library (see docs/security.md).
 */
final class PemPrivateKey {
    /** AlgorithmIdentifier for rsaEncryption (RFC 8017 A.1: OID 1.2.840.113549.1.1.1, NULL parameters). */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    /** OID 1.2.840.10045.2.1, id-ecPublicKey (RFC 5480 2.1.1), as a DER TLV. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    /** ECPrivateKey's {@code parameters [0] ECParameters}: context-specific, constructed, tag 0. */
    private static final int EC_PARAMETERS = 0xa0;

    private PemPrivateKey() {}

    static PrivateKey parse(String pem, String from) throws WebConfigException {
        List<byte[]> pkcs8 = TlsMaterial.blocks(pem, "PRIVATE KEY");
        List<byte[]> pkcs1 = TlsMaterial.blocks(pem, "RSA PRIVATE KEY");
        List<byte[]> sec1 = TlsMaterial.blocks(pem, "EC PRIVATE KEY");
        if (pkcs8.size() + pkcs1.size() + sec1.size() != 1) {
            String hint = TlsMaterial.blocks(pem, "ENCRYPTED PRIVATE KEY").isEmpty() && !pem.contains("ENCRYPTED")
                    ? ""
                    : " (encrypted keys: decrypt with openssl pkey -in KEY -out KEY.plain)";
            throw new WebConfigException("TLS material: " + from + ": expected exactly one unencrypted PEM "
                    + "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block" + hint);
        }
        byte[] der;
        try {
            der = !pkcs8.isEmpty()
                    ? pkcs8.getFirst()
                    : !pkcs1.isEmpty()
                            ? pkcs8(RSA_ALGORITHM_ID, pkcs1.getFirst())
                            : pkcs8(ecAlgorithm(sec1.getFirst()), sec1.getFirst());
        } catch (IllegalArgumentException e) {
            throw new WebConfigException("TLS material: " + from + ": " + e.getMessage(), e);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new WebConfigException("TLS material: " + from + ": unreadable private key");
    }

    /**
     * The AlgorithmIdentifier {id-ecPublicKey, namedCurve} for a SEC1 ECPrivateKey (RFC 5915 section 3:
     * SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey }), taking the curve from its
     * [0] field. Explicit curve parameters (no OID) are refused, as Go refuses them.
     */
    static byte[] ecAlgorithm(byte[] sec1) {
        Der seq = Der.read(sec1, 0);
        require(seq.tag == SEQUENCE && seq.end() == sec1.length, "EC PRIVATE KEY is not one DER SEQUENCE");
        Der version = Der.read(sec1, seq.start);
        require(version.tag == INTEGER, "EC PRIVATE KEY has no version");
        Der key = Der.read(sec1, version.end());
        require(key.tag == OCTET_STRING, "EC PRIVATE KEY has no private key octets");
        for (int at = key.end(); at < seq.end(); ) {
            Der field = Der.read(sec1, at);
            if (field.tag == EC_PARAMETERS) {
                Der curve = Der.read(sec1, field.start);
                require(curve.tag == OID, "EC PRIVATE KEY has explicit curve parameters: only named curves");
                return tlv(SEQUENCE, concat(EC_PUBLIC_KEY_OID, Arrays.copyOfRange(sec1, curve.offset, curve.end())));
            }
            at = field.end();
        }
        throw new IllegalArgumentException("EC PRIVATE KEY names no curve (no [0] parameters field)");
    }

    /** PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key } (RFC 5208 section 5). */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(SEQUENCE, concat(new byte[] {INTEGER, 0x01, 0x00}, algorithm, tlv(OCTET_STRING, key)));
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
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

    /**
     * One DER element header: its tag, where it begins ({@code offset}) and where its contents begin and end.
     * Single-byte tags and definite lengths only (all a key uses, X.690 8.1.2 and 8.1.3); anything else is refused.
     */
    private record Der(int tag, int offset, int start, int length) {
        int end() {
            return start + length;
        }

        static Der read(byte[] b, int at) {
            require(at + 2 <= b.length, "truncated DER");
            int tag = b[at] & 0xff;
            int first = b[at + 1] & 0xff;
            int start = at + 2;
            int length = first;
            if (first >= 0x80) {
                int n = first & 0x7f;
                require(n >= 1 && n <= 3 && start + n <= b.length, "bad DER length");
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = (length << 8) | (b[start + i] & 0xff);
                }
                start += n;
            }
            require(start + length <= b.length, "truncated DER");
            return new Der(tag, at, start, length);
        }
    }
}
