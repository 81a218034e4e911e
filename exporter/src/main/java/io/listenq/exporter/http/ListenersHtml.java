package io.listenq.exporter.http;

import io.listenq.exporter.listeners.ListenerRow;
import io.listenq.exporter.sample.ListenerSample;
import java.util.ArrayList;
import java.util.List;

/**
 * The landing page's listener table: every listener in trouble (full now, or dropped within the last minute), then
 * the fullest of the rest, with namespace names and owners. Plain server-rendered HTML, no script: the page
 * reloads itself with a meta refresh. Each row carries its values as {@code data-} attributes for tests and tools.
 */
final class ListenersHtml {
    /** Quiet listeners shown below the troubled ones, fullest first. */
    static final int FULLEST = 10;
    /** Troubled listeners shown at most: a page stays readable (and cheap) when a whole node is in trouble. */
    static final int MAX_TROUBLE = 100;

    private ListenersHtml() {}

    static String render(List<ListenerRow> sorted) {
        List<ListenerRow> shown = new ArrayList<>();
        int trouble = 0;
        int quiet = 0;
        for (ListenerRow r : sorted) { // sorted by trouble: the troubled ones come first
            if (r.inTrouble()) {
                if (trouble++ < MAX_TROUBLE) {
                    shown.add(r);
                }
            } else if (quiet < FULLEST) {
                quiet++;
                shown.add(r);
            }
        }
        StringBuilder b = new StringBuilder(512 + shown.size() * 400);
        b.append("<h2>Listeners</h2>\n<p>")
                .append(trouble)
                .append(" in trouble (full now, or dropping within the " + "last minute)");
        if (trouble > MAX_TROUBLE) {
            b.append(", the ").append(MAX_TROUBLE).append(" worst shown");
        }
        if (quiet > 0) {
            b.append(", and the ")
                    .append(quiet)
                    .append(" fullest of the other ")
                    .append(sorted.size() - trouble);
        }
        b.append(". All of them: <a href=\"")
                .append(ListenersApi.PATH)
                .append("\">")
                .append(ListenersApi.PATH)
                .append("</a>.</p>\n");
        if (shown.isEmpty()) {
            return b.append("<p>No listeners.</p>\n").toString();
        }
        b.append("<table id=\"listeners\" border=\"1\" cellpadding=\"3\" style=\"border-collapse:collapse\">\n"
                + "<thead><tr><th>State</th><th>Namespace</th><th>Family</th><th>Address</th><th>Port</th>"
                + "<th>Length</th><th>Backlog</th><th>Fill</th><th>Peak</th><th>Drops/s (1m)</th><th>Drops</th>"
                + "<th>SYN queue</th><th>Owner</th><th>Cgroup</th></tr></thead>\n<tbody>\n");
        for (ListenerRow r : shown) {
            row(b, r);
        }
        return b.append("</tbody></table>\n").toString();
    }

    private static void row(StringBuilder b, ListenerRow r) {
        ListenerSample l = r.sample();
        String state = l.full() ? "full" : r.inTrouble() ? "dropping" : "ok";
        b.append("<tr class=\"")
                .append(state)
                .append("\" data-netns=\"")
                .append(l.key().netns())
                .append("\" data-family=\"")
                .append(l.key().family())
                .append("\" data-address=\"")
                .append(LandingPage.escape(l.key().address()))
                .append("\" data-port=\"")
                .append(l.key().port())
                .append("\" data-length=\"")
                .append(l.acceptQueue())
                .append("\" data-backlog=\"")
                .append(l.backlog())
                .append("\" data-cgroup=\"")
                .append(LandingPage.escape(r.owner().cgroup()))
                .append("\" data-container-id=\"")
                .append(r.owner().containerId())
                .append('"');
        // no stylesheet to load: full rows red, dropping ones yellow, readable in any browser or none
        b.append(l.full() ? " style=\"background:#f8d0d0\">" : r.inTrouble() ? " style=\"background:#fbf0c0\">" : ">");
        cell(b, state);
        cell(b, r.namespaceName());
        cell(b, l.key().family());
        cell(b, l.key().address());
        cell(b, l.key().port());
        cell(b, Long.toString(l.acceptQueue()));
        cell(b, Long.toString(l.backlog()));
        cell(b, Math.round(l.fillRatio() * 100) + "%");
        cell(b, Long.toString(l.peak()));
        cell(b, l.dropRate().isEmpty() ? "" : String.format("%.2f", l.dropRate().getAsDouble()));
        cell(b, l.drops().isEmpty() ? "" : Long.toString(l.drops().getAsLong()));
        cell(b, l.synQueue().isEmpty() ? "" : Long.toString(l.synQueue().getAsLong()));
        cell(b, r.owner().shortName());
        cell(b, r.owner().cgroup());
        b.append("</tr>\n");
    }

    private static void cell(StringBuilder b, String text) {
        b.append("<td>").append(LandingPage.escape(text)).append("</td>");
    }
}
