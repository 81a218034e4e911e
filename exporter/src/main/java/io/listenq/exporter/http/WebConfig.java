package io.listenq.exporter.http;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed {@code --web.config.file} in the Prometheus exporter-toolkit format: TLS (absent: plain HTTP), extra
 * response headers and basic-auth users with bcrypt hashes (empty: no authentication).
 */
public record WebConfig(Optional<TlsSettings> tls, Map<String, String> headers, Map<String, String> users) {
    /**
     * The headers the toolkit lets a file set (web/handler.go extraHTTPHeaders), with their allowed values where
     * the header is an enumeration. Anything else (Content-Type, WWW-Authenticate...) is refused, so a file can
     * never change what a response means, only harden it.
     */
    static final Map<String, Set<String>> ALLOWED_HEADERS = Map.of(
            "Strict-Transport-Security", Set.of(),
            "X-Content-Type-Options", Set.of("nosniff"),
            "X-Frame-Options", Set.of("deny", "sameorigin"),
            "X-XSS-Protection", Set.of(),
            "Content-Security-Policy", Set.of());

    /** $2$, $2a$, $2b$, $2x$ or $2y$, a two-digit cost 04..31, then 22 salt and 31 hash characters of bcrypt's base64. */
    static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    public static final WebConfig PLAIN = new WebConfig(Optional.empty(), Map.of(), Map.of());

    public WebConfig {
        Objects.requireNonNull(tls, "tls");
        headers = Map.copyOf(headers);
        users = Map.copyOf(users);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            Set<String> allowed = ALLOWED_HEADERS.get(h.getKey());
            if (allowed == null) {
                throw new IllegalArgumentException("http_server_config.headers: header " + h.getKey()
                        + " can not be configured (allowed: "
                        + String.join(
                                ", ", ALLOWED_HEADERS.keySet().stream().sorted().toList()) + ")");
            }
            if (!allowed.isEmpty() && !allowed.contains(h.getValue())) {
                throw new IllegalArgumentException("http_server_config.headers: invalid value '" + h.getValue()
                        + "' for " + h.getKey() + ", expected one of "
                        + allowed.stream().sorted().toList());
            }
            if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("http_server_config.headers: " + h.getKey() + " has a line break");
            }
        }
        for (Map.Entry<String, String> u : users.entrySet()) {
            if (u.getKey().contains(":")) {
                // RFC 7617: the user-id of Basic credentials cannot contain a colon.
                throw new IllegalArgumentException("basic_auth_users: user '" + u.getKey() + "' contains ':'");
            }
            if (!BCRYPT.matcher(u.getValue()).matches()) {
                throw new IllegalArgumentException("basic_auth_users: the password of user '" + u.getKey()
                        + "' is not a bcrypt hash ($2y$10$ followed by 53 characters, e.g. from htpasswd -nBC 10)");
            }
        }
    }
}
