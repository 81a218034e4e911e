package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The C floor (benchmarks/src/main/c/lqbench-floor.c): the naive full round per namespace done by a small C
 * program (setns, LISTEN dumps v4+v6 on a netlink socket cached per namespace, netstat and somaxconn read), CPU
 * from its own getrusage over many rounds; the idle floor, the exporter's exact idle path per namespace done in C
 * (no setns; preads of snmp, sockstat and sockstat6 and a unix listener dump on fds opened in the namespace
 * once, the dump left out where sockstat shows no unix socket): the kernel's price of an exact idle namespace; and the SYN-RECV dump's kernel cost, unfiltered and with a
 * bytecode filter on one port.
 */
final class Floor {
    /** CPU per namespace-round (seconds), wall time per round (seconds), listeners seen per round. */
    record Round(int namespaces, int rounds, double cpuPerNamespaceRound, double wallPerRound, long listeners) {}

    /** CPU seconds per dump v4+v6: SYN-RECV unfiltered, SYN-RECV filtered to one port, LISTEN; what each saw. */
    record SynRecv(
            int dumps,
            double unfiltered,
            long requests,
            double filtered,
            long filteredRequests,
            double listen,
            long listeners) {}

    private final Path binary;

    Floor(Path binary) {
        this.binary = binary;
    }

    /** Naive full rounds over namespaces {@code prefix}0 .. {@code prefix}(n-1); listeners are TCP listeners. */
    Round round(String prefix, int namespaces, int rounds) throws IOException, InterruptedException {
        return rounds(run("round", prefix, "0", Integer.toString(namespaces), Integer.toString(rounds)));
    }

    /** Exact idle rounds over the same namespaces; listeners are unix listeners (what the idle path dumps). */
    Round idle(String prefix, int namespaces, int rounds) throws IOException, InterruptedException {
        return rounds(run("idle", prefix, "0", Integer.toString(namespaces), Integer.toString(rounds)));
    }

    /** A round or idle output line's figures, in seconds. */
    static Round rounds(Map<String, String> v) {
        return new Round(
                Integer.parseInt(v.get("namespaces")),
                Integer.parseInt(v.get("rounds")),
                Double.parseDouble(v.get("cpu_ms_per_ns_round")) / 1e3,
                Double.parseDouble(v.get("wall_ms_per_round")) / 1e3,
                Long.parseLong(v.get("listeners_per_round")));
    }

    SynRecv synRecv(String namespace, int port, int dumps) throws IOException, InterruptedException {
        Map<String, String> v = run("synrecv", namespace, Integer.toString(port), Integer.toString(dumps));
        return new SynRecv(
                dumps,
                Double.parseDouble(v.get("synrecv_ms")) / 1e3,
                Long.parseLong(v.get("synrecv_requests")),
                Double.parseDouble(v.get("synrecv_filtered_ms")) / 1e3,
                Long.parseLong(v.get("synrecv_filtered_requests")),
                Double.parseDouble(v.get("listen_ms")) / 1e3,
                Long.parseLong(v.get("listeners")));
    }

    private Map<String, String> run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("lqbench-floor " + String.join(" ", args) + " failed: " + out.strip());
        }
        return parse(out);
    }

    /** The key=value pairs of the floor's one output line. */
    static Map<String, String> parse(String line) {
        Map<String, String> out = new HashMap<>();
        for (String pair : line.strip().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }
}
