package io.listenq.exporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP Basic authentication (RFC 7617) against bcrypt hashes, built to stay cheap under a flood of wrong passwords:
 * <ol>
 *   <li>credentials that succeeded recently are recognised first, by a constant-time comparison of SHA-256 digests,
 *       without bcrypt: a scraper that sends the same credentials every 15 s pays for bcrypt once, and wrong guesses
 *       (which are never cached) cannot evict it;
 *   <li>a client address with too many recent failures is refused at once ({@link FailureLimiter});
 *   <li>everything else goes through bcrypt on a small fixed pool with a bounded queue ({@link BcryptPool}): when
 *       it is full the request is refused at once instead of taking a request thread for seconds.
 * </ol>
 * An unknown user is checked against a dummy hash of the same cost, on the same pool, so timing does not tell which
 * users exist. Digests cover (user, hash, password), so no password is kept and a reload that changes a hash
 * invalidates its entries.
 */
final class BasicAuth {
    /** Successful credentials remembered per user (a password change leaves the old one until it ages out). */
    static final int REMEMBERED_PER_USER = 4;

    /** What a check decided. */
    enum Outcome {
        OK,
        DENIED,
        RATE_LIMITED,
        BUSY
    }

    private final Map<String, String> users;
    private final String dummyHash;
    private final Map<String, Deque<byte[]>> remembered = new HashMap<>();
    private final FailureLimiter limiter;
    private final BcryptPool pool;
    private final AtomicLong bcryptRuns = new AtomicLong();

    /** With a limiter and pool of its own (tests); the server shares one of each across reloads. */
    BasicAuth(Map<String, String> users) {
        this(users, new FailureLimiter(), new BcryptPool());
    }

    BasicAuth(Map<String, String> users, FailureLimiter limiter, BcryptPool pool) {
        this.users = Map.copyOf(users);
        this.limiter = limiter;
        this.pool = pool;
        // The dummy hash has the cost of a real one (the highest configured), so both paths take as long.
        int cost = users.values().stream()
                .mapToInt(h -> Integer.parseInt(h.substring(h.lastIndexOf('$') - 2, h.lastIndexOf('$'))))
                .max()
                .orElse(4);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.dummyHash = users.isEmpty()
                ? ""
                : BCrypt.withDefaults()
                        .hashToString(cost, HexFormat.of().formatHex(random).toCharArray());
    }

    boolean enabled() {
        return !users.isEmpty();
    }

    /** Whether an {@code Authorization} header value carries the credentials of a configured user (tests). */
    boolean check(String authorization) {
        return check(authorization, "test") == Outcome.OK;
    }

    /** Checks an {@code Authorization} header value sent from {@code client} (its IP address). Never throws. */
    Outcome check(String authorization, String client) {
        String[] credentials = decode(authorization);
        if (credentials == null) {
            return Outcome.DENIED; // nothing to check: no bcrypt, no failure counted (browsers first ask without)
        }
        return check(credentials[0], credentials[1], client);
    }

    /** User and password from a Basic header, or null when it is not one. */
    private static String[] decode(String authorization) {
        if (authorization == null
                || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // not base64: a malformed header, answered 401 like a wrong password
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    Outcome check(String user, String password, String client) {
        Optional<String> configured = Optional.ofNullable(users.get(user));
        String hash = configured.orElse(dummyHash);
        byte[] digest = digest(user, hash, password);
        if (configured.isPresent() && remembered(user, digest)) {
            return Outcome.OK;
        }
        if (!limiter.allow(client)) {
            return Outcome.RATE_LIMITED;
        }
        boolean ok;
        try {
            Future<Boolean> f = pool.submit(() -> {
                bcryptRuns.incrementAndGet();
                return verify(password, hash);
            });
            ok = f.get(BcryptPool.WAIT_SECONDS, TimeUnit.SECONDS) && configured.isPresent();
        } catch (RejectedExecutionException | TimeoutException e) {
            return Outcome.BUSY;
        } catch (ExecutionException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.BUSY;
        }
        if (!ok) {
            limiter.failed(client);
            return Outcome.DENIED;
        }
        remember(user, digest);
        return Outcome.OK;
    }

    private boolean remembered(String user, byte[] digest) {
        synchronized (remembered) {
            Deque<byte[]> known = remembered.get(user);
            boolean found = false;
            if (known != null) {
                for (byte[] d : known) {
                    found |= MessageDigest.isEqual(d, digest); // constant time, and no early exit
                }
            }
            return found;
        }
    }

    private void remember(String user, byte[] digest) {
        synchronized (remembered) {
            Deque<byte[]> known = remembered.computeIfAbsent(user, k -> new ArrayDeque<>(REMEMBERED_PER_USER));
            known.removeIf(d -> MessageDigest.isEqual(d, digest));
            known.addFirst(digest);
            while (known.size() > REMEMBERED_PER_USER) {
                known.removeLast();
            }
        }
    }

    /** How many bcrypt verifications ran (tests: remembered credentials must not run it again). */
    long bcryptRuns() {
        return bcryptRuns.get();
    }

    private static boolean verify(String password, String hash) {
        if (hash.isEmpty()) {
            return false;
        }
        try {
            // The library compares the computed and stored hash in constant time (Bytes.equalsConstantTime).
            return BCrypt.verifyer()
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (IllegalArgumentException e) {
            return false; // a password over bcrypt's 72 bytes cannot match
        }
    }

    private static byte[] digest(String user, String hash, String password) {
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
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
