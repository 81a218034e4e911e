package io.listenq.exporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP Basic authentication (RFC 7617) against bcrypt hashes, with the exporter-toolkit's protections: an unknown
 * user is checked against a dummy hash so timing does not tell which users exist; bcrypt runs one at a time (it
 * is deliberately slow: parallel wrong guesses must not eat every core); and each (user, hash, password) outcome
 * is cached, so a scraper that sends the same credentials every 15 s pays for bcrypt once. Cache keys are SHA-256
 * digests, so no password is kept in memory, and a reload that changes a hash changes the key.
 */
final class BasicAuth {
    static final int CACHE_SIZE = 100;

    private final Map<String, String> users;
    private final String dummyHash;
    private final Object bcryptLock = new Object();
    private final Map<String, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private long bcryptRuns;

    BasicAuth(Map<String, String> users) {
        this.users = Map.copyOf(users);
        // The dummy hash has the cost of a real one (the highest configured), so both paths take as long.
        int cost = users.values().stream().mapToInt(h -> Integer.parseInt(h.substring(h.lastIndexOf('$') - 2,
                h.lastIndexOf('$')))).max().orElse(4);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.dummyHash = users.isEmpty() ? ""
                : BCrypt.withDefaults().hashToString(cost, HexFormat.of().formatHex(random).toCharArray());
    }

    boolean enabled() {
        return !users.isEmpty();
    }

    /** Whether an {@code Authorization} header value carries the credentials of a configured user. */
    boolean check(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        return check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    boolean check(String user, String password) {
        Optional<String> configured = Optional.ofNullable(users.get(user));
        String hash = configured.orElse(dummyHash);
        String key = cacheKey(user, hash, password);
        synchronized (cache) {
            Boolean hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        boolean ok;
        synchronized (bcryptLock) {
            bcryptRuns++;
            ok = verify(password, hash) && configured.isPresent();
        }
        synchronized (cache) {
            cache.put(key, ok);
        }
        return ok;
    }

    /** How many bcrypt verifications ran (tests: the cache must keep this at one per credential). */
    long bcryptRuns() {
        synchronized (bcryptLock) {
            return bcryptRuns;
        }
    }

    private static boolean verify(String password, String hash) {
        if (hash.isEmpty()) {
            return false;
        }
        try {
            // The library compares the computed and stored hash in constant time (Bytes.equalsConstantTime).
            return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                    hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (IllegalArgumentException e) {
            return false; // a password over bcrypt's 72 bytes cannot match
        }
    }

    private static String cacheKey(String user, String hash, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {user, hash, password}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                sha.update((byte) (b.length >>> 24));
                sha.update((byte) (b.length >>> 16));
                sha.update((byte) (b.length >>> 8));
                sha.update((byte) b.length);
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
