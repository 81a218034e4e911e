package io.listenq.exporter.http;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code tls_server_config} of an exporter-toolkit web configuration. Certificate, key and client CA come from a
 * file or inline PEM text (exactly one of the two for cert and key); relative file names are already resolved
 * against the configuration file's directory, as the toolkit does.
 *
 * @param cipherSuites IANA names for TLS 1.2 and older (TLS 1.3 suites are always enabled, as in Go); empty:
 *                     the JDK's defaults
 */
public record TlsSettings(
        Source cert,
        Source key,
        ClientAuth clientAuth,
        Optional<Source> clientCa,
        TlsVersion minVersion,
        TlsVersion maxVersion,
        List<String> cipherSuites,
        boolean preferServerCipherSuites) {

    /** PEM text either read from a file or given inline in the YAML. */
    public sealed interface Source permits FileSource, InlineSource {
        String describe();
    }

    public record FileSource(Path path) implements Source {
        @Override
        public String describe() {
            return path.toString();
        }
    }

    public record InlineSource(String key, String pem) implements Source {
        @Override
        public String describe() {
            return "inline " + key;
        }
    }

    /** Go's crypto/tls ClientAuthType names, as the toolkit accepts them. */
    public enum ClientAuth {
        NO_CLIENT_CERT("NoClientCert", false, false, false),
        REQUEST_CLIENT_CERT("RequestClientCert", true, false, false),
        REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", false, true, false),
        VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", true, false, true),
        REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", false, true, true);

        private final String yamlName;
        final boolean want;
        final boolean need;
        final boolean verify;

        ClientAuth(String yamlName, boolean want, boolean need, boolean verify) {
            this.yamlName = yamlName;
            this.want = want;
            this.need = need;
            this.verify = verify;
        }

        public String yamlName() {
            return yamlName;
        }

        static Optional<ClientAuth> byName(String name) {
            if (name.equals("RequireClientCert")) { // the toolkit keeps this old name for RequireAnyClientCert
                return Optional.of(REQUIRE_ANY_CLIENT_CERT);
            }
            for (ClientAuth a : values()) {
                if (a.yamlName.equals(name)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** Only TLS 1.2 and 1.3: the JDK disables 1.0 and 1.1 (jdk.tls.disabledAlgorithms), so they are refused. */
    public enum TlsVersion {
        TLS12("TLSv1.2"),
        TLS13("TLSv1.3");

        final String jdkName;

        TlsVersion(String jdkName) {
            this.jdkName = jdkName;
        }
    }

    public TlsSettings {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientAuth, "clientAuth");
        cipherSuites = List.copyOf(cipherSuites);
        if (minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException("min_version " + minVersion + " is above max_version " + maxVersion);
        }
        if (clientCa.isPresent() && clientAuth == ClientAuth.NO_CLIENT_CERT) {
            // The toolkit refuses this too: a CA with no policy would look like client auth but be none.
            throw new IllegalArgumentException("client_ca_file is set but client_auth_type is NoClientCert");
        }
        if (clientAuth.verify && clientCa.isEmpty()) {
            throw new IllegalArgumentException("client_auth_type " + clientAuth.yamlName
                    + " needs client_ca_file (or client_ca) to verify client certificates against");
        }
    }

    /** The JDK protocol names from min to max version. */
    List<String> protocols() {
        return java.util.Arrays.stream(TlsVersion.values())
                .filter(v -> v.compareTo(minVersion) >= 0 && v.compareTo(maxVersion) <= 0)
                .map(v -> v.jdkName)
                .toList();
    }
}
