package io.listenq.exporter.listeners;

import java.util.ArrayList;
import java.util.List;

/** The {@code listeners} command's table, in ss's spirit: one line per listener, columns padded, fullest first. */
public final class ListenersText {
    static final String[] HEADER = {
        "NETNS", "NAME", "FAMILY", "ADDRESS", "PORT", "QUEUE", "BACKLOG", "FILL%", "DROPS", "OWNER"
    };
    /** Columns that hold numbers are right-aligned. */
    private static final boolean[] RIGHT = {true, false, false, false, true, true, true, true, true, false};

    private ListenersText() {}

    public static String table(List<ListenerRow> rows) {
        List<String[]> lines = new ArrayList<>(rows.size() + 1);
        lines.add(HEADER);
        for (ListenerRow r : rows) {
            lines.add(cells(r));
        }
        int[] width = new int[HEADER.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                boolean last = i == line.length - 1;
                String pad = " ".repeat(width[i] - line[i].length());
                b.append(RIGHT[i] ? pad + line[i] : line[i] + (last ? "" : pad));
                if (!last) {
                    b.append("  ");
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String[] cells(ListenerRow r) {
        var l = r.sample();
        return new String[] {
            l.key().netns(),
            orDash(r.namespace().name()),
            l.key().family(),
            l.key().address(),
            orDash(l.key().port()),
            Long.toString(l.acceptQueue()),
            Long.toString(l.backlog()),
            percent(l.fillRatio()),
            l.drops().isEmpty() ? "-" : Long.toString(l.drops().getAsLong()),
            orDash(r.owner().shortName())
        };
    }

    /** Whole percent: 125 for a full queue of backlog 4 (it holds backlog + 1). */
    static String percent(double ratio) {
        return Long.toString(Math.round(ratio * 100));
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
