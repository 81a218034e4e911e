package io.listenq.exporter;

import io.listenq.exporter.cli.FlagException;
import io.listenq.exporter.cli.Flags;
import io.listenq.exporter.cli.Subcommand;
import io.listenq.exporter.drill.Drill;
import io.listenq.exporter.listeners.ListenersCommand;
import io.listenq.exporter.log.Logging;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point: a subcommand when the first argument names one, else the daemon: parse flags (a bad one: one line
 * and exit code 2), then run until SIGTERM/SIGINT.
 */
public final class Main {
    /** Every subcommand, by the name that selects it; each parses its own flags. */
    static final Map<String, Subcommand> SUBCOMMANDS = Map.of(
            ListenersCommand.NAME, ListenersCommand::run,
            Drill.NAME, Drill::run);

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** Returns an exit status, or -1 when the daemon was started and keeps running. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Subcommand sub = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (sub != null) {
            return sub.run(Arrays.asList(args).subList(1, args.length), out, err);
        }
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
