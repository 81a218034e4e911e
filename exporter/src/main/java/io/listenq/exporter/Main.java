package io.listenq.exporter;

import io.listenq.exporter.cli.FlagException;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.log.Logging;
import java.io.PrintStream;

/** Entry point: parse flags (a bad one: one line and exit code 2), then run until SIGTERM/SIGINT. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** Returns an exit status, or -1 when the daemon was started and keeps running. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Flags.Parsed parsed;
        try {
            parsed = Flags.parse(args);
        } catch (FlagException e) {
            err.println("listenq-exporter: " + e.getMessage());
            return 2;
        }
        return switch (parsed) {
            case Flags.Help h -> {
                out.print(Flags.usage());
                yield 0;
            }
            case Flags.Version v -> {
                out.println("listenq-exporter " + Version.get() + " (revision " + Version.revision() + ", java "
                        + Runtime.version() + ")");
                yield 0;
            }
            case Flags.Run r -> {
                Logging.configure(r.config().logLevel(), r.config().logFormat());
                try {
                    Exporter exporter = Exporter.start(r.config());
                    Runtime.getRuntime().addShutdownHook(new Thread(exporter::close, "listenq-shutdown"));
                    yield -1;
                } catch (Exception e) {
                    err.println("listenq-exporter: cannot start: " + e.getMessage());
                    yield 1;
                }
            }
        };
    }
}
