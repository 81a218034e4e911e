package io.listenq.exporter.http;

import io.listenq.exporter.http.TlsSettings.ClientAuth;
import io.listenq.exporter.http.TlsSettings.Source;
import io.listenq.exporter.http.TlsSettings.TlsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads an exporter-toolkit web configuration file strictly, as the toolkit's {@code yaml.UnmarshalStrict} does:
 * an unknown key, a duplicate key or a value of the wrong type is an error, never ignored. Keys of the toolkit
 * format that this exporter does not implement are refused by name rather than silently dropped, because a
 * dropped security setting fails open. Every error is one line naming the file.
 */
public final class WebConfigParser {
    /** Refuse larger files: a web config is a few hundred bytes; this bounds what a hostile file can cost. */
    static final int MAX_BYTES = 1 << 20;

    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users");
    private static final Set<String> TLS = Set.of(
            "cert",
            "key",
            "client_ca",
            "cert_file",
            "key_file",
            "client_auth_type",
            "client_ca_file",
            "min_version",
            "max_version",
            "cipher_suites",
            "prefer_server_cipher_suites");
    private static final Set<String> HTTP = Set.of("http2", "headers");
    /** Toolkit keys not implemented here (see docs/security.md). */
    private static final Set<String> UNSUPPORTED = Set.of("rate_limit", "client_allowed_sans", "curve_preferences");

    private WebConfigParser() {}

    /** Reads and validates {@code file}; TLS files are only named here, {@link TlsMaterial} reads them. */
    public static WebConfig load(Path file) throws WebConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new WebConfigException("web config " + file + ": larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WebConfigException("web config " + file + ": cannot read: " + e, e);
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            return parse(new String(bytes, StandardCharsets.UTF_8), dir);
        } catch (IllegalArgumentException e) {
            throw new WebConfigException("web config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; relative file names resolve against {@code dir}. Throws IllegalArgumentException. */
    static WebConfig parse(String yaml, Path dir) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(10);
        options.setCodePointLimit(MAX_BYTES);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException(yamlError(e));
        } catch (YAMLException e) {
            throw new IllegalArgumentException(
                    "not valid YAML: " + e.getMessage().replace('\n', ' ').strip());
        }
        if (root == null) {
            return WebConfig.PLAIN; // an empty file: the toolkit's defaults, plain HTTP without auth
        }
        Map<String, Object> top = map(root, "the document");
        checkKeys(top, TOP, "");
        Optional<TlsSettings> tls = tls(mapOrEmpty(top.get("tls_server_config"), "tls_server_config"), dir);
        Map<String, Object> http = mapOrEmpty(top.get("http_server_config"), "http_server_config");
        checkKeys(http, HTTP, "http_server_config.");
        if (http.containsKey("http2")) {
            bool(http.get("http2"), "http_server_config.http2"); // accepted; this server speaks HTTP/1.1 only
        }
        Map<String, String> headers =
                strings(mapOrEmpty(http.get("headers"), "http_server_config.headers"), "http_server_config.headers");
        headers.values().removeIf(String::isEmpty); // "Unset if blank"
        Map<String, String> users =
                strings(mapOrEmpty(top.get("basic_auth_users"), "basic_auth_users"), "basic_auth_users");
        return new WebConfig(tls, headers, users);
    }

    private static Optional<TlsSettings> tls(Map<String, Object> t, Path dir) {
        checkKeys(t, TLS, "tls_server_config.");
        Optional<Source> cert = source(t, "cert", "cert_file", dir);
        Optional<Source> key = source(t, "key", "key_file", dir);
        Optional<Source> clientCa = source(t, "client_ca", "client_ca_file", dir);
        String clientAuthName = string(t.get("client_auth_type"), "tls_server_config.client_auth_type");
        if (cert.isEmpty() && key.isEmpty() && clientCa.isEmpty() && clientAuthName.isEmpty()) {
            return Optional.empty(); // the toolkit's IsEnabled(): nothing set means plain HTTP
        }
        if (cert.isEmpty()) {
            throw new IllegalArgumentException("tls_server_config: missing one of cert or cert_file");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("tls_server_config: missing one of key or key_file");
        }
        ClientAuth clientAuth = clientAuthName.isEmpty()
                ? ClientAuth.NO_CLIENT_CERT
                : ClientAuth.byName(clientAuthName)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "tls_server_config.client_auth_type: unknown '" + clientAuthName + "' (NoClientCert, "
                                        + "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, "
                                        + "RequireAndVerifyClientCert)"));
        TlsVersion min = version(t.get("min_version"), "min_version", TlsVersion.TLS12);
        TlsVersion max = version(t.get("max_version"), "max_version", TlsVersion.TLS13);
        List<String> suites = new ArrayList<>();
        Object rawSuites = t.get("cipher_suites");
        if (rawSuites != null) {
            if (!(rawSuites instanceof List<?> list)) {
                throw new IllegalArgumentException("tls_server_config.cipher_suites: expected a list of names");
            }
            for (Object o : list) {
                suites.add(string(o, "tls_server_config.cipher_suites"));
            }
        }
        boolean prefer = !t.containsKey("prefer_server_cipher_suites")
                || bool(t.get("prefer_server_cipher_suites"), "tls_server_config.prefer_server_cipher_suites");
        try {
            return Optional.of(new TlsSettings(cert.get(), key.get(), clientAuth, clientCa, min, max, suites, prefer));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tls_server_config: " + e.getMessage(), e);
        }
    }

    private static Optional<Source> source(Map<String, Object> t, String inline, String file, Path dir) {
        String text = string(t.get(inline), "tls_server_config." + inline);
        String name = string(t.get(file), "tls_server_config." + file);
        if (!text.isEmpty() && !name.isEmpty()) {
            throw new IllegalArgumentException("tls_server_config: both " + inline + " and " + file + " are set");
        }
        if (!name.isEmpty()) {
            return Optional.of(new TlsSettings.FileSource(dir.resolve(name)));
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(new TlsSettings.InlineSource(inline, text));
    }

    private static TlsVersion version(Object raw, String key, TlsVersion dflt) {
        String v = string(raw, "tls_server_config." + key);
        if (v.isEmpty()) {
            return dflt;
        }
        return switch (v) {
            case "TLS12" -> TlsVersion.TLS12;
            case "TLS13" -> TlsVersion.TLS13;
            case "TLS10", "TLS11" ->
                throw new IllegalArgumentException(
                        "tls_server_config." + key + ": " + v + " is disabled in the JDK; use TLS12 or TLS13");
            default ->
                throw new IllegalArgumentException(
                        "tls_server_config." + key + ": unknown TLS version '" + v + "' (TLS12, TLS13)");
        };
    }

    private static void checkKeys(Map<String, Object> m, Set<String> known, String prefix) {
        for (String k : m.keySet()) {
            if (UNSUPPORTED.contains(k)) {
                throw new IllegalArgumentException(prefix + k + " is not supported by listenq-exporter");
            }
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown key " + prefix + k);
            }
        }
    }

    private static Map<String, Object> mapOrEmpty(Object o, String where) {
        return o == null ? Map.of() : map(o, where);
    }

    private static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + ": expected a mapping, got " + kind(o));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new IllegalArgumentException(where + ": key " + e.getKey() + " is not a string");
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    private static Map<String, String> strings(Map<String, Object> m, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, string(v, where + "." + k)));
        return out;
    }

    private static String string(Object o, String where) {
        if (o == null) {
            return "";
        }
        if (!(o instanceof String s)) {
            throw new IllegalArgumentException(where + ": expected a string, got " + kind(o));
        }
        return s;
    }

    private static boolean bool(Object o, String where) {
        if (!(o instanceof Boolean b)) {
            throw new IllegalArgumentException(where + ": expected true or false, got " + kind(o));
        }
        return b;
    }

    private static String kind(Object o) {
        return switch (o) {
            case null -> "nothing";
            case Map<?, ?> m -> "a mapping";
            case List<?> l -> "a list";
            case String s -> "a string";
            default -> o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + o;
        };
    }

    /**
     * SnakeYAML's message spans several lines with a snippet and a caret; one line says the same: where (1-based, as
     * editors count), what is wrong, and in what construct.
     */
    static String yamlError(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        String problem =
                e.getProblem() == null ? "syntax error" : e.getProblem().strip();
        String context = e.getContext() == null ? "" : " (" + e.getContext().strip() + ")";
        return "not valid YAML" + where + ": " + problem + context;
    }
}
