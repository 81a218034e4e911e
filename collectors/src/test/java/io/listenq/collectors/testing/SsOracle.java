package io.listenq.collectors.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ss} run inside a {@link TestNetns}, parsed: the oracle for sock_diag results. */
public final class SsOracle {
    /** One listener line of {@code ss -ltnm} (address without brackets, drops from skmem d&lt;N&gt;; -1 if absent). */
    public record Listener(String address, int port, int recvQ, int sendQ, long drops) {}

    /** One line of {@code ss -xl}: path as ss prints it ("@name" for abstract, "*" for unnamed). */
    public record UnixListener(String path, int recvQ, int sendQ) {}

    private static final Pattern DROPS = Pattern.compile("[(,]d(\\d+)[,)]");

    private final TestNetns ns;

    public SsOracle(TestNetns ns) {
        this.ns = ns;
    }

    public List<Listener> tcpListeners() throws IOException {
        return parseListeners(ns.exec("ss", "-Hltnm"));
    }

    /** Number of SYN-RECV sockets ({@code ss -Htn state syn-recv}) whose local port is {@code port}. */
    public int synRecvCount(int port) throws IOException {
        int count = 0;
        for (String line : ns.exec("ss", "-Htn", "state", "syn-recv").split("\n")) {
            String[] t = line.trim().split("\\s+");
            // With a state filter ss omits the State column: Recv-Q Send-Q Local Peer.
            if (t.length >= 4 && portOf(t[2]) == port) {
                count++;
            }
        }
        return count;
    }

    public List<UnixListener> unixListeners() throws IOException {
        List<UnixListener> out = new ArrayList<>();
        for (String line : ns.exec("ss", "-Hxl").split("\n")) {
            String[] t = line.trim().split("\\s+");
            int i = t.length > 0 && t[0].startsWith("u_") ? 1 : 0; // Netid column when several types exist
            if (t.length >= i + 4) {
                out.add(new UnixListener(t[i + 3], Integer.parseInt(t[i + 1]), Integer.parseInt(t[i + 2])));
            }
        }
        return out;
    }

    /** Parses {@code ss -Hltnm}: a socket line, then an indented skmem line. */
    public static List<Listener> parseListeners(String text) {
        List<Listener> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String[] t = line.trim().split("\\s+");
            if (t.length < 5 || !t[0].equals("LISTEN")) {
                continue;
            }
            long drops = -1;
            if (i + 1 < lines.length && lines[i + 1].contains("skmem:")) {
                Matcher m = DROPS.matcher(lines[i + 1]);
                if (m.find()) {
                    drops = Long.parseLong(m.group(1));
                }
            }
            String local = t[3];
            int colon = local.lastIndexOf(':');
            String address = local.substring(0, colon);
            int pct = address.indexOf('%'); // "127.0.0.1%lo" when bound to a device
            if (pct >= 0) {
                address = address.substring(0, pct);
            }
            address = address.replace("[", "").replace("]", "");
            out.add(new Listener(address, portOf(local), Integer.parseInt(t[1]), Integer.parseInt(t[2]), drops));
        }
        return out;
    }

    private static int portOf(String local) {
        String p = local.substring(local.lastIndexOf(':') + 1);
        return p.equals("*") ? 0 : Integer.parseInt(p);
    }
}
