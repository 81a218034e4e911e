package io.listenq.benchmarks.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a scenario stands on: the benchmark's named namespaces ({@code lq-b-<i>}, and {@code lq-b-s0} for the
 * scrape-size scenario) and the helper processes (benchmarks/src/main/c/lqbench-helper.c) that hold listeners and
 * connections in them. Namespaces are created cumulatively (10, then 90 more, then 900 more) so a larger scenario
 * reuses a smaller one's. {@link #close()} kills every helper and deletes every {@code lq-b-*} namespace, also
 * those a crashed earlier run left behind.
 *
 * <p>Helpers must be started from the runner's main thread: they die with the thread that started them
 * (PR_SET_PDEATHSIG), which is what keeps a killed runner from leaving sockets and namespaces behind.
 */
final class Lab implements AutoCloseable {
    static final String PREFIX = "lq-b-";
    static final String SCRAPE_PREFIX = "lq-b-s";
    /** The soak's namespaces, apart from lq-b-<i> so that an idle scenario's include pattern never matches them. */
    static final String CHURN_PREFIX = "lq-b-c";
    /** In the troubled namespace: the full accept queue's listener, and the one holding SYN-RECV requests. */
    static final int TROUBLE_FULL_PORT = 21_000;

    static final int TROUBLE_SYN_PORT = 21_001;
    /** Half-open connections the troubled namespace holds in SYN-RECV. */
    static final int TROUBLE_HALF_OPEN = 16;
    /**
     * Listeners of namespace i are on 127.0.0.1:20000..20009; connection holders listen from 12001 on the host, below
     * ip_local_port_range (32768-60999), or an earlier holder's client side may already sit on the port.
     */
    static final int LISTEN_BASE_PORT = 20_000;

    private static final int CONNS_BASE_PORT = 12_001;
    /** Per helper process: 2 fds per connection must stay below the 20,000 open-file limit. */
    private static final int PAIRS_PER_HELPER = 8_500;

    private final Path helper;
    private final Path netnsDir;
    private final List<Process> listeners = new ArrayList<>();
    private final List<Process> conns = new ArrayList<>();
    private Process busy;
    private Process trouble;
    private int created;
    private double createSeconds;

    Lab(Path helper, Path netnsDir) {
        this.helper = helper;
        this.netnsDir = netnsDir;
    }

    /** Names of the benchmark's namespaces now present. */
    List<String> present() throws IOException {
        if (!Files.isDirectory(netnsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(netnsDir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(PREFIX))
                    .sorted()
                    .toList();
        }
    }

    /** Namespaces lq-b-0 .. lq-b-(n-1), each with {@code perNamespace} listeners. */
    void ensureNamespaces(int n, int perNamespace) throws IOException, InterruptedException {
        if (n <= created) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (int i = created; i < n; i++) {
            names.add(PREFIX + i);
        }
        long t = System.nanoTime();
        batch(names.stream().map(name -> "netns add " + name).toList());
        createSeconds += (System.nanoTime() - t) / 1e9;
        listeners.add(startHelper(
                "listen",
                PREFIX,
                Integer.toString(created),
                Integer.toString(n - created),
                Integer.toString(perNamespace),
                Integer.toString(LISTEN_BASE_PORT)));
        created = n;
    }

    /** Time spent in {@code ip netns add} so far (one {@code ip -batch} process per step). */
    double createSeconds() {
        return createSeconds;
    }

    /** The scrape-size namespace lq-b-s0 with {@code count} listeners. */
    Process scrapeNamespace(int count) throws IOException, InterruptedException {
        batch(List.of("netns add " + SCRAPE_PREFIX + "0"));
        return startHelper(
                "listen", SCRAPE_PREFIX, "0", "1", Integer.toString(count), Integer.toString(LISTEN_BASE_PORT));
    }

    void dropScrapeNamespace(Process holder) throws IOException, InterruptedException {
        stop(holder);
        batch(List.of("netns del " + SCRAPE_PREFIX + "0"));
    }

    void startBusy(int namespaces, int every) throws IOException, InterruptedException {
        stopBusy();
        busy = startHelper(
                "busy",
                PREFIX,
                "0",
                Integer.toString(namespaces),
                Integer.toString(every),
                Integer.toString(LISTEN_BASE_PORT),
                "1000");
    }

    void stopBusy() {
        stop(busy);
        busy = null;
    }

    /**
     * Puts namespace lq-b-{@code index} in trouble: a full accept queue kept full (a SYN dropped every second) and
     * {@link #TROUBLE_HALF_OPEN} requests in SYN-RECV (see lqbench-helper.c, mode trouble).
     */
    void startTrouble(int index) throws IOException, InterruptedException {
        stopTrouble();
        trouble = startHelper(
                "trouble",
                PREFIX,
                Integer.toString(index),
                Integer.toString(TROUBLE_FULL_PORT),
                Integer.toString(TROUBLE_SYN_PORT),
                Integer.toString(TROUBLE_HALF_OPEN));
    }

    void stopTrouble() {
        stop(trouble);
        trouble = null;
    }

    /**
     * The soak's namespaces lq-b-c0 .. lq-b-c(n-1), one listener each from {@code basePort}, one replaced every
     * {@code intervalMillis} (lqbench-helper.c, mode churn). Stop the returned helper, then {@link #close()}.
     */
    Process churn(int n, int basePort, long intervalMillis) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("netns add " + CHURN_PREFIX + i);
        }
        batch(names);
        return startHelper(
                "churn",
                CHURN_PREFIX,
                "0",
                Integer.toString(n),
                Integer.toString(basePort),
                Long.toString(intervalMillis));
    }

    /** {@code connections} established loopback connections in the host namespace, over several helpers. */
    void startConnections(int connections) throws IOException, InterruptedException {
        int left = connections;
        for (int k = 0; left > 0; k++) {
            int pairs = Math.min(PAIRS_PER_HELPER, left);
            conns.add(startHelper("conns", Integer.toString(CONNS_BASE_PORT + k), Integer.toString(pairs)));
            left -= pairs;
        }
    }

    void stopConnections() {
        conns.forEach(Lab::stop);
        conns.clear();
    }

    private Process startHelper(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(helper.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine(); // "ready <n>", or null if it died
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly().waitFor();
            throw new IOException("helper " + String.join(" ", args) + " failed (exit " + p.exitValue() + ")");
        }
        return p;
    }

    static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One {@code ip -batch -} process for many namespace commands: ~3 ms each instead of a fork each. */
    private static void batch(List<String> commands) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-force", "-batch", "-")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("ip -batch failed: " + output.strip());
        }
    }

    /** Kills every helper, deletes every lq-b-* namespace. Safe to call twice. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        stopBusy();
        stopTrouble();
        stopConnections();
        listeners.forEach(Lab::stop);
        listeners.clear();
        List<String> names = present();
        if (!names.isEmpty()) {
            batch(names.stream().map(n -> "netns del " + n).toList());
        }
        created = 0;
    }
}
