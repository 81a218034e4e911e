package io.listenq.exporter.cli;

/** A bad command line: the message is the one line printed before exiting with status 2. */
public final class FlagException extends Exception {
    public FlagException(String message) {
        super(message);
    }
}
