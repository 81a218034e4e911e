package io.listenq.exporter.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * A tool that runs instead of the daemon when the first argument names it ({@code listenq-exporter listeners ...}).
 * It gets the remaining arguments and returns the exit status: 0 done, 1 it could not do its work, 2 a bad flag
 * (one line naming it on {@code err}).
 */
@FunctionalInterface
public interface Subcommand {
    int run(List<String> args, PrintStream out, PrintStream err);
}
