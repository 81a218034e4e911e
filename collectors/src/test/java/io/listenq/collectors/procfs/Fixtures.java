package io.listenq.collectors.procfs;

import io.listenq.collectors.testing.Captures;
import java.util.List;
import java.util.Optional;

/** Loads captured procfs files and reads values out of them with a deliberately naive second parser. */
final class Fixtures {
    /** The columns listen queues need (the exporter's own list is its NetnsCounter enum), as a test selection. */
    static final CounterSelection LISTEN_QUEUE = new CounterSelection(List.of(
            CounterKey.LISTEN_OVERFLOWS,
            CounterKey.LISTEN_DROPS,
            CounterKey.REQ_QFULL_DROP,
            CounterKey.REQ_QFULL_DO_COOKIES,
            CounterKey.SYNCOOKIES_SENT,
            CounterKey.SYNCOOKIES_RECV,
            CounterKey.SYNCOOKIES_FAILED,
            CounterKey.PASSIVE_OPENS));

    private Fixtures() {}

    static String load(String name) {
        return Captures.text("procfs/" + name);
    }

    /** The oracle: split lines and columns with String.split, find the name, take the same column. */
    static Optional<String> grep(String text, String prefix, String name) {
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            if (!names[0].equals(prefix + ":")) {
                continue;
            }
            for (int c = 1; c < names.length; c++) {
                if (names[c].equals(name)) {
                    return Optional.of(values[c]);
                }
            }
        }
        return Optional.empty();
    }

    /** Number of columns of a prefix according to the oracle. */
    static int columns(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix + ":")) {
                return line.trim().split("\\s+").length - 1;
            }
        }
        return 0;
    }
}
