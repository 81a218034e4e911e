package io.listenq.exporter.http;

import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live {@code --web.config.file}: headers and basic auth applied to every request, and the TLS context of the
 * connector. {@link #reload()} (on SIGHUP) re-reads the file and swaps everything in at once, TLS material
 * included; a file that does not load keeps the running configuration and logs one line. Whether TLS is on is
 * fixed at start (it decides the connector's type): a reload that would switch it is refused.
 *
 * <p>As exporter-toolkit does, changes apply without SIGHUP too: every request and every TLS handshake first
 * compares {@link FileStamps} of the config file and the certificate, key and CA files it names (a few
 * {@code stat} calls) with those of the running configuration, and reloads when they differ. A refused change is
 * logged once and not retried until the files change again.
 */
public final class WebSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);

    private record Live(WebConfig config, BasicAuth auth) {}

    private final Optional<Path> file;
    private final ClientCertFactory ssl;
    /** One of each for the process: a reload must not reset who failed, nor add threads. */
    private static final FailureLimiter LIMITER = new FailureLimiter();

    private static final BcryptPool BCRYPT = new BcryptPool();
    private volatile Live live;
    /** The files behind the running configuration, and the stamps they had when it was read. */
    private volatile FileStamps loaded;
    /** The stamps of the last change that was refused: not retried (nor logged again) until they change. */
    private volatile FileStamps refused;

    /**
     * Jetty's factory with Go's RequestClientCert/RequireAnyClientCert semantics: ask for a certificate, accept any.
     * (Jetty's own trustAll only applies when there is no key store; with one it trusts the key store, so clients
     * would be told to present a certificate issued by the server's own certificate.)
     */
    static final class ClientCertFactory extends SslContextFactory.Server {
        private volatile boolean verifyClients;
        /** Runs before each new connection's handshake: the file check, so a rotated certificate is served. */
        private volatile Runnable beforeHandshake = () -> {};

        @Override
        public javax.net.ssl.SSLEngine newSSLEngine() {
            beforeHandshake.run();
            return super.newSSLEngine();
        }

        @Override
        public javax.net.ssl.SSLEngine newSSLEngine(String host, int port) {
            beforeHandshake.run();
            return super.newSSLEngine(host, port);
        }

        @Override
        protected javax.net.ssl.TrustManager[] getTrustManagers(
                java.security.KeyStore trustStore, java.util.Collection<? extends java.security.cert.CRL> crls)
                throws Exception {
            return verifyClients ? super.getTrustManagers(trustStore, crls) : TRUST_ALL_CERTS;
        }
    }

    private WebSecurity(Optional<Path> file, ClientCertFactory ssl, Live live, FileStamps loaded) {
        this.file = file;
        this.ssl = ssl;
        this.live = live;
        this.loaded = loaded;
        if (ssl != null) {
            ssl.beforeHandshake = this::reloadIfChanged;
        }
    }

    /** Plain HTTP, no auth, no extra headers: what runs without {@code --web.config.file}. */
    public static WebSecurity none() {
        return new WebSecurity(
                Optional.empty(), null, new Live(WebConfig.PLAIN, auth(java.util.Map.of())), new FileStamps(List.of()));
    }

    /** Loads the file and everything it names; any problem is a WebConfigException naming the file. */
    public static WebSecurity load(Path file) throws WebConfigException {
        // Stamped before reading: a change made while we read shows as a change at the next check.
        FileStamps before = FileStamps.of(List.of(file));
        WebConfig config = WebConfigParser.load(file);
        FileStamps stamps = stampsOf(file, config, before);
        ClientCertFactory ssl = null;
        if (config.tls().isPresent()) {
            TlsSettings tls = config.tls().get();
            TlsMaterial material = material(file, tls);
            ssl = new ClientCertFactory();
            configure(ssl, tls, material);
        }
        return new WebSecurity(Optional.of(file), ssl, new Live(config, auth(config.users())), stamps);
    }

    private static BasicAuth auth(java.util.Map<String, String> users) {
        return new BasicAuth(users, LIMITER, BCRYPT);
    }

    /** The config file's stamp taken before reading it, then the stamps of the TLS files it names. */
    private static FileStamps stampsOf(Path file, WebConfig config, FileStamps configStamp) {
        List<Path> all = FileStamps.watched(file, config);
        List<FileStamps.Stamp> out = new ArrayList<>(configStamp.stamps());
        out.addAll(FileStamps.of(all.subList(1, all.size())).stamps());
        return new FileStamps(out);
    }

    /**
     * The per-request and per-handshake check: a few {@code stat} calls, and a reload only when a watched file
     * changed since the running configuration (or the last refused change) was read.
     */
    public void reloadIfChanged() {
        if (file.isEmpty()) {
            return;
        }
        FileStamps now = currentStamps();
        if (now.equals(loaded) || now.equals(refused)) {
            return;
        }
        synchronized (this) {
            now = currentStamps();
            if (!now.equals(loaded) && !now.equals(refused)) {
                reload();
            }
        }
    }

    private FileStamps currentStamps() {
        List<Path> paths = new ArrayList<>(loaded.stamps().size());
        loaded.stamps().forEach(st -> paths.add(st.path()));
        return FileStamps.of(paths);
    }

    private static TlsMaterial material(Path file, TlsSettings tls) throws WebConfigException {
        try {
            checkCipherSuites(tls.cipherSuites());
            return TlsMaterial.load(tls);
        } catch (WebConfigException e) {
            throw new WebConfigException("web config " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkCipherSuites(List<String> names) throws WebConfigException {
        if (names.isEmpty()) {
            return;
        }
        Set<String> supported;
        try {
            supported =
                    Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new WebConfigException("no default TLS context in this JDK", e);
        }
        for (String n : names) {
            if (!supported.contains(n)) {
                throw new WebConfigException("tls_server_config.cipher_suites: unknown cipher suite " + n);
            }
        }
    }

    private static void configure(ClientCertFactory ssl, TlsSettings tls, TlsMaterial material) {
        ssl.setKeyStore(material.keyStore());
        ssl.setKeyStorePassword(TlsMaterial.STORE_PASSWORD);
        ssl.setKeyManagerPassword(TlsMaterial.STORE_PASSWORD);
        ssl.setTrustStore(material.trustStore().orElse(null));
        // RequestClientCert and RequireAnyClientCert ask for a certificate but, as in Go, do not verify it.
        ssl.verifyClients = tls.clientAuth().verify;
        ssl.setWantClientAuth(tls.clientAuth().want);
        ssl.setNeedClientAuth(tls.clientAuth().need);
        ssl.setIncludeProtocols(tls.protocols().toArray(String[]::new));
        if (tls.cipherSuites().isEmpty()) {
            ssl.setIncludeCipherSuites();
        } else {
            // Go's cipher_suites only governs TLS 1.2 and older; TLS 1.3 suites stay on.
            List<String> suites = new ArrayList<>(tls.cipherSuites());
            suites.addAll(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"));
            ssl.setIncludeCipherSuites(suites.toArray(String[]::new));
        }
        ssl.setUseCipherSuitesOrder(tls.preferServerCipherSuites());
        ssl.setSniRequired(false);
    }

    public boolean tls() {
        return ssl != null;
    }

    /** The TLS context of the connector, or null for plain HTTP. */
    SslContextFactory.Server sslContextFactory() {
        return ssl;
    }

    /**
     * Re-reads the file. Returns whether the new configuration is now in force; on any problem the old one stays
     * and one line says why.
     */
    public synchronized boolean reload() {
        if (file.isEmpty()) {
            return false;
        }
        Path f = file.get();
        FileStamps before = currentStamps();
        try {
            WebConfig config = WebConfigParser.load(f);
            if (config.tls().isPresent() != tls()) {
                throw new WebConfigException("web config " + f + ": TLS cannot be switched " + (tls() ? "off" : "on")
                        + " by a reload; restart the exporter");
            }
            BasicAuth auth = auth(config.users());
            FileStamps stamps =
                    stampsOf(f, config, new FileStamps(before.stamps().subList(0, 1)));
            if (ssl != null) {
                TlsSettings tls = config.tls().get();
                TlsMaterial material = material(f, tls);
                try {
                    ssl.reload(factory -> configure((ClientCertFactory) factory, tls, material));
                } catch (Exception e) {
                    throw new WebConfigException("web config " + f + ": TLS reload failed: " + e, e);
                }
            }
            live = new Live(config, auth);
            loaded = stamps;
            refused = null;
            LOG.info(
                    "reloaded web config {} (tls {}, {} basic-auth users, headers {})",
                    f,
                    tls() ? "on" : "off",
                    config.users().size(),
                    config.headers().keySet().stream().sorted().collect(Collectors.toList()));
            return true;
        } catch (WebConfigException e) {
            refused = before;
            LOG.error("web config reload refused, keeping the running configuration: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Runs before every route: sets the configured headers and, when users are configured, answers 401 with a
     * challenge unless the request carries valid credentials. Returns whether the request may proceed.
     */
    boolean filter(Context ctx) {
        reloadIfChanged();
        Live l = live;
        l.config().headers().forEach(ctx::header);
        if (!l.auth().enabled()) {
            return true;
        }
        switch (l.auth().check(ctx.header("Authorization"), ctx.req().getRemoteAddr())) {
            case OK -> {
                return true;
            }
            case RATE_LIMITED -> {
                ctx.header("Retry-After", Long.toString(FailureLimiter.SECONDS_PER_FAILURE));
                ctx.status(429).result("Too many failed logins from this address\n");
            }
            case BUSY -> {
                ctx.header("Retry-After", "1");
                ctx.status(503).result("Too many password checks at once\n");
            }
            case DENIED -> {
                ctx.header("WWW-Authenticate", "Basic realm=\"listenq-exporter\", charset=\"UTF-8\"");
                ctx.status(401).result("Unauthorized\n");
            }
        }
        ctx.skipRemainingHandlers();
        return false;
    }

    public String describe() {
        Live l = live;
        return file.map(f -> f + " (tls " + (tls() ? "on" : "off") + ", basic auth "
                        + (l.auth().enabled() ? "on" : "off") + ")")
                .orElse("none");
    }
}
