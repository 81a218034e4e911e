package io.listenq.benchmarks.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What users run today, measured on the same namespaces: a shell loop of {@code ip netns exec NS ss -ltn} over
 * every namespace, and node_exporter (which sees only its own namespace, but is the usual neighbour and a
 * reference for scrape latency and memory).
 */
final class Baselines {
    record SsLoop(int namespaces, int measured, double seconds, long listenersSeen) {
        /** Seconds for all {@code namespaces}: measured, or scaled up from the first {@code measured}. */
        double totalSeconds() {
            return seconds * namespaces / measured;
        }
    }

    record NodeExporter(double readySeconds, List<Double> scrapeSeconds, int responseBytes, long rssBytes) {}

    private Baselines() {}

    /** Runs {@code ip netns exec NAME ss -ltn} one after the other, as a user's loop would. */
    static SsLoop ssLoop(List<String> names, int max) throws IOException, InterruptedException {
        List<String> measured = names.subList(0, Math.min(max, names.size()));
        long listeners = 0;
        long t = System.nanoTime();
        for (String ns : measured) {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ss", "-Hltn")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("ss in " + ns + " failed: " + out);
            }
            listeners += out.lines().filter(l -> l.startsWith("LISTEN")).count();
        }
        return new SsLoop(names.size(), measured.size(), (System.nanoTime() - t) / 1e9, listeners);
    }

    static NodeExporter nodeExporter(Path binary, ProcessStats proc, Path logDir)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(binary)) {
            return null;
        }
        int port = Launch.freePort();
        Path log = logDir.resolve("node-exporter-" + port + ".log");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            double ready = Http.waitFor200(port, "/metrics", start, Duration.ofSeconds(20));
            if (ready < 0) {
                throw new IOException("node_exporter did not answer: " + Files.readString(log));
            }
            List<Double> seconds = new ArrayList<>();
            int bytes = 0;
            for (int i = 0; i < 20; i++) {
                Http.Response r = Http.get(port, "/metrics");
                seconds.add(r.seconds());
                bytes = r.body().length;
            }
            return new NodeExporter(ready, seconds, bytes, proc.rssBytes(p.pid()));
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
