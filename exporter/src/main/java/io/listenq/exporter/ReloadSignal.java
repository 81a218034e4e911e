package io.listenq.exporter;

import io.listenq.collectors.linux.NativeException;
import io.listenq.collectors.linux.NativeSignals;
import io.listenq.exporter.http.WebSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP re-reads {@code --web.config.file}, as Prometheus components do. sun.misc.Signal (module jdk.unsupported)
 * is the JDK's only way to catch a signal; it runs the handler on a thread of its own.
 *
 * <p>A process started with SIGHUP ignored (under nohup, or from a shell that did {@code trap '' HUP}: exec keeps
 * an ignored disposition) would never reload: HotSpot's JVM_RegisterSignal leaves an ignored SIGHUP alone and
 * Signal.handle returns without an error. So an ignored SIGHUP is set back to SIG_DFL just before Signal.handle,
 * which then installs the handler; a hang-up of the terminal nohup guarded against now reloads the web config,
 * which is as harmless as ignoring it.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {}

    static void install(WebSecurity security) {
        Signal hup = new Signal("HUP");
        SignalHandler reload = s -> security.reload();
        // SIGHUP's default action ends the process, from unignore()'s sigaction until Signal.handle's: 0.1-0.7 ms
        // apart (strace -tt of the launcher), once, before the port opens (no one has seen the exporter up to
        // signal it). Blocking SIGHUP around them would not close the window: the mask is per thread, and the
        // kernel would hand the signal to another JVM thread.
        boolean unignored = wasIgnored() && unignore();
        try {
            Signal.handle(hup, reload);
        } catch (IllegalArgumentException e) {
            // the JVM was started with -Xrs or the signal is in use: run without reload rather than not at all
            LOG.warn("cannot handle SIGHUP ({}): the web config will not be reloaded", e.getMessage());
            if (unignored) {
                ignoreAgain();
            }
            return;
        }
        if (unignored) {
            LOG.info("SIGHUP was ignored at start (nohup or trap '' HUP); it now reloads the web config");
        }
    }

    /** Whether SIGHUP is ignored; false, with a warning, when that cannot be known (the signal is left as it is). */
    private static boolean wasIgnored() {
        try {
            return NativeSignals.isIgnored(NativeSignals.SIGHUP);
        } catch (NativeException e) {
            LOG.warn(
                    "cannot read SIGHUP's disposition ({}): if it was ignored at start (nohup), it will not reload"
                            + " the web config",
                    e.getMessage());
            return false;
        }
    }

    /** Sets an ignored SIGHUP to SIG_DFL; false, with a warning, if that failed (it is then still ignored). */
    private static boolean unignore() {
        try {
            NativeSignals.setIgnored(NativeSignals.SIGHUP, false);
            return true;
        } catch (NativeException e) {
            LOG.warn("cannot stop ignoring SIGHUP ({}): it will not reload the web config", e.getMessage());
            return false;
        }
    }

    /** Puts back the ignored SIGHUP that nohup asked for, when no handler could take the SIG_DFL's place. */
    private static void ignoreAgain() {
        try {
            NativeSignals.setIgnored(NativeSignals.SIGHUP, true);
        } catch (NativeException e) {
            LOG.warn("cannot ignore SIGHUP again ({}): a SIGHUP will end the exporter", e.getMessage());
        }
    }
}
