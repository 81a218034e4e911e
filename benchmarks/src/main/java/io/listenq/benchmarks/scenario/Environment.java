package io.listenq.benchmarks.scenario;

import io.listenq.collectors.procfs.ProcFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.stream.Stream;

/** Where and on what a run was made: the report's header. */
record Environment(
        String date,
        String commit,
        String kernel,
        int cpus,
        String java,
        String exporterJavaOptions,
        boolean quick,
        long foreignNamespaces,
        double namespaceCreateSeconds,
        double runSeconds,
        String loadBefore,
        String loadAfter) {

    /** /proc/loadavg's 1, 5 and 15 minute figures. */
    static String loadAverage() {
        try {
            return String.join(
                    " ",
                    Arrays.copyOf(
                            ProcFile.read(Path.of("/proc/loadavg")).strip().split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Environment capture(
            Path launcher,
            String javaOptions,
            boolean quick,
            double createSeconds,
            double runSeconds,
            String loadBefore) {
        String kernel;
        try {
            kernel = ProcFile.read(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            kernel = "unknown";
        }
        long foreign = 0;
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            foreign = s.filter(p -> !p.getFileName().toString().startsWith(Lab.PREFIX))
                    .count();
        } catch (IOException e) {
            // no /run/netns: none
        }
        return new Environment(
                OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                output("git", "describe", "--always", "--dirty", "--abbrev=12"),
                kernel,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(),
                "the runtime's ("
                        + output(
                                launcher.toAbsolutePath().resolveSibling("java").toString(),
                                "-XshowSettings:vm",
                                "-XX:+PrintCommandLineFlags",
                                "-version")
                        + ")" + (javaOptions.isEmpty() ? "" : " + LISTENQ_JAVA_OPTIONS=" + javaOptions),
                quick,
                foreign,
                createSeconds,
                runSeconds,
                loadBefore,
                loadAverage());
    }

    /** The first line a command prints (stdout and stderr), or "unknown". */
    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes())
                    .lines()
                    .findFirst()
                    .orElse("unknown");
            p.waitFor();
            return first.strip();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
