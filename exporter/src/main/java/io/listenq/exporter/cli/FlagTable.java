package io.listenq.exporter.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The one command-line parser of the daemon and every subcommand: a table of flags, each with its value's
 * description, default and help, applied to a builder {@code B}. Flags are {@code --name=value} or
 * {@code --name value}; {@code -h}/{@code --help} asks for help (and {@code --version}, where the command has one).
 * Every mistake is one {@link FlagException} line naming the flag, worded the same for every command:
 * <ul>
 *   <li>{@code unexpected argument 'X' (flags start with --; see <command> --help)}
 *   <li>{@code unknown flag --name (see <command> --help)}
 *   <li>{@code flag --name needs a value (<metavar>)}
 *   <li>{@code invalid value 'V' for flag --name: <why>}
 * </ul>
 *
 * @param <B> what the flags are applied to; a value is refused by throwing {@link IllegalArgumentException}
 */
public final class FlagTable<B> {
    /**
     * One flag.
     *
     * @param metavar what the value looks like in {@code --help} ({@code duration}, {@code auto|all|self})
     * @param defaultValue applied before the command line, so the help cannot state another; empty: no default
     *     (the builder's own initial value stands)
     */
    public record Flag<B>(String name, String metavar, String defaultValue, String help, BiConsumer<B, String> apply) {}

    /** What a command line asks for once its flags are applied. */
    public enum Request {
        RUN,
        HELP,
        VERSION
    }

    private final String command;
    private final boolean hasVersion;
    private final List<Flag<B>> flags;
    private final Map<String, Flag<B>> byName = new LinkedHashMap<>();

    /**
     * @param command how {@code --help} is asked for in messages ({@code listenq-exporter},
     *     {@code listenq-exporter drill})
     * @param hasVersion whether {@code --version} is a request (the daemon's) or an unknown flag
     */
    public FlagTable(String command, boolean hasVersion, List<Flag<B>> flags) {
        this.command = command;
        this.hasVersion = hasVersion;
        this.flags = List.copyOf(flags);
        this.flags.forEach(f -> byName.put(f.name(), f));
    }

    /** Applies the defaults, then {@code args}, to {@code target}; stops at the first help or version request. */
    public Request parse(B target, List<String> args) throws FlagException {
        for (Flag<B> f : flags) {
            if (!f.defaultValue().isEmpty()) {
                apply(target, f, f.defaultValue());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                return Request.HELP;
            }
            if (hasVersion && arg.equals("--version")) {
                return Request.VERSION;
            }
            if (!arg.startsWith("--")) {
                throw new FlagException(
                        "unexpected argument '" + arg + "' (flags start with --; see " + command + " --help)");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            Flag<B> flag = byName.get(name);
            if (flag == null) {
                throw new FlagException("unknown flag --" + name + " (see " + command + " --help)");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new FlagException("flag --" + name + " needs a value (" + flag.metavar() + ")");
            }
            apply(target, flag, value);
        }
        return Request.RUN;
    }

    private static <B> void apply(B target, Flag<B> flag, String value) throws FlagException {
        try {
            flag.apply().accept(target, value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new FlagException("invalid value '" + value + "' for flag --" + flag.name() + ": " + e.getMessage());
        }
    }

    /** The flags' part of {@code --help}: each flag, its value, its help and its default. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Flag<B> f : flags) {
            sb.append("      --")
                    .append(f.name())
                    .append('=')
                    .append(f.metavar())
                    .append('\n')
                    .append("          ")
                    .append(f.help());
            if (!f.defaultValue().isEmpty()) {
                sb.append(" (default: ").append(f.defaultValue()).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
