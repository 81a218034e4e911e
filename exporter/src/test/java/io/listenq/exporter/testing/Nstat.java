package io.listenq.exporter.testing;

import io.listenq.collectors.testing.TestNetns;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** {@code nstat -asz} in a namespace, parsed: the oracle for the per-namespace counters. */
public final class Nstat {
    private Nstat() {}

    /** Absolute values (-a), zeros included (-z), history not saved (-s): name (e.g. TcpExtListenOverflows) to value. */
    public static Map<String, Long> read(TestNetns ns) throws IOException {
        return parse(ns.exec("nstat", "-asz"));
    }

    public static Map<String, Long> parse(String text) {
        Map<String, Long> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] t = line.trim().split("\\s+");
            out.put(t[0], Long.parseUnsignedLong(t[1]));
        }
        return out;
    }
}
