package io.listenq.exporter.http;

/** A web configuration file that cannot be used; the message is the one line to log (it names the file). */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message);
    }

    public WebConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
