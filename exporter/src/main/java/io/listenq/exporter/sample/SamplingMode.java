package io.listenq.exporter.sample;

import io.listenq.collectors.netns.Capabilities;
import io.listenq.collectors.netns.DiscoveredNetns;
import io.listenq.collectors.netns.NetnsDiscovery;
import io.listenq.collectors.netns.NetnsSwitch;
import io.listenq.exporter.cli.Config;
import io.listenq.exporter.cli.NetnsMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace mode, resolved once at startup. {@code auto} decides by trying what {@code all} needs: opening
 * another process's namespace file and entering it ({@link #probe}); capability bits alone mislead (root without
 * CAP_SYS_PTRACE can still open most processes' files, a user namespace can grant what the bits do not show). An
 * explicit {@code all} that cannot enter says so at start, as {@code auto} does, and keeps trying every refresh.
 *
 * @param all         sample every namespace discovery finds (else only the exporter's own)
 * @param description for the landing page
 */
record SamplingMode(boolean all, String description) {
    private static final Logger LOG = LoggerFactory.getLogger(SamplingMode.class);
    /** Namespaces the probe tries before concluding that none can be entered. */
    private static final int PROBE_ATTEMPTS = 3;

    /** Tries to enter another namespace; empty when it worked, else why not. */
    @FunctionalInterface
    interface Probe {
        Optional<String> tryEnterAnother();
    }

    static SamplingMode resolve(Config config) {
        return resolve(config.netnsMode(), () -> probe(config), missingCapabilities(config), LOG::warn);
    }

    /** The decision, apart from the kernel: a test seam. */
    static SamplingMode resolve(NetnsMode mode, Probe probe, String missing, Consumer<String> warn) {
        if (mode == NetnsMode.SELF) {
            return new SamplingMode(false, "self");
        }
        Optional<String> refused = probe.tryEnterAnother();
        String why = refused.map(
                        r -> "entering another network namespace failed (" + r + ")"
                                + (missing.isEmpty() ? "" : "; effective capabilities lack " + missing)
                                + " (setns needs CAP_SYS_ADMIN, opening other processes' /proc/<pid>/ns/net needs CAP_SYS_PTRACE)")
                .orElse("");
        if (mode == NetnsMode.ALL) {
            if (refused.isPresent()) {
                warn.accept("--netns=all: " + why + "; namespaces that cannot be entered are counted in "
                        + "listenq_netns_errors_total and left out");
            }
            return new SamplingMode(true, "all namespaces");
        }
        if (refused.isEmpty()) {
            return new SamplingMode(true, "auto: all namespaces");
        }
        warn.accept("--netns=auto: sampling only the exporter's own network namespace: " + why);
        return new SamplingMode(false, "auto: own namespace only (" + refused.get() + ")");
    }

    private static String missingCapabilities(Config config) {
        try {
            return String.join(
                    " and ", Capabilities.readSelf(config.procfsRoot()).missingForOtherNamespaces());
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * Opens and enters up to {@value #PROBE_ATTEMPTS} namespaces other than the own one (or the own one through
     * another process's file when there is no other), on a dedicated platform thread that ends right after, so a
     * failed return home strands nothing.
     */
    static Optional<String> probe(Config config) {
        AtomicReference<Optional<String>> result = new AtomicReference<>(Optional.of("probe did not run"));
        Thread t = Thread.ofPlatform().name("listenq-netns-probe").unstarted(() -> result.set(probeHere(config)));
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
        return result.get();
    }

    private static Optional<String> probeHere(Config config) {
        List<DiscoveredNetns> candidates = new ArrayList<>();
        try {
            List<DiscoveredNetns> found = new NetnsDiscovery(
                            config.procfsRoot(), List.of(config.netnsRoot(), config.dockerNetnsRoot()))
                    .scan()
                    .namespaces();
            for (DiscoveredNetns d : found) {
                if (!d.self() && d.lowestPid().isPresent()) {
                    candidates.add(d); // a process's file: needs ptrace access as well as setns
                }
            }
            if (candidates.isEmpty()) {
                found.stream().filter(DiscoveredNetns::self).forEach(candidates::add);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("discovery: " + e.getMessage());
        }
        String last = "no namespace found to try";
        try (NetnsSwitch sw = new NetnsSwitch(config.procfsRoot())) {
            for (DiscoveredNetns d : candidates.subList(0, Math.min(PROBE_ATTEMPTS, candidates.size()))) {
                try (NetnsSwitch.Handle h = sw.open(d.openPath(), d.id())) {
                    sw.enter(h);
                } catch (IOException e) {
                    last = d.openPath() + ": " + e.getMessage();
                    continue;
                }
                sw.returnHome(); // if this throws, this thread ends here, and nothing else runs on it
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.of(last);
    }
}
