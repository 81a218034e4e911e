package io.listenq.collectors.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code getpcaps PID} (libcap2-bin), the oracle for a process's capabilities: it asks the kernel with capget(2),
 * not /proc/PID/status, and prints them in libcap's text form, e.g. {@code =ep cap_sys_resource-ep}: clauses of
 * capability names (none = all), an operator ({@code =} set, {@code +} add, {@code -} drop) and flags.
 */
public final class Getpcaps {
    private final List<String> clauses;

    private Getpcaps(List<String> clauses) {
        this.clauses = clauses;
    }

    public static Getpcaps of(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Tools.require("getpcaps").toString(), Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("getpcaps " + pid + " exited " + p.exitValue() + ": " + out);
        }
        return parse(out.substring(out.indexOf(':') + 1).strip()); // "PID: clauses"
    }

    static Getpcaps parse(String text) {
        return new Getpcaps(text.isEmpty() ? List.of() : List.of(text.split("\\s+")));
    }

    /** Whether {@code name} (e.g. "cap_sys_admin") is in the effective set. */
    public boolean effective(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        boolean effective = false;
        for (String clause : clauses) {
            int op = indexOfOperator(clause);
            String names = clause.substring(0, op);
            if (!names.isEmpty() && !List.of(names.split(",")).contains(wanted)) {
                continue;
            }
            boolean e = clause.substring(op + 1).contains("e");
            switch (clause.charAt(op)) {
                case '=' -> effective = e;
                case '+' -> effective |= e;
                default -> effective &= !e;
            }
        }
        return effective;
    }

    private static int indexOfOperator(String clause) {
        for (int i = 0; i < clause.length(); i++) {
            char c = clause.charAt(i);
            if (c == '=' || c == '+' || c == '-') {
                return i;
            }
        }
        throw new IllegalArgumentException("no operator in capability clause " + clause);
    }
}
