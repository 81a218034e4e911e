package io.listenq.exporter.http;

/** Told about every request to the telemetry path, for the exporter's own metrics. Must be quick, must not throw. */
public interface ScrapeObserver {
    ScrapeObserver NONE = new ScrapeObserver() {
        @Override
        public void served(String format, boolean gzip, long nanos) {}

        @Override
        public void rejected() {}
    };

    /**
     * A scrape answered in full.
     *
     * @param format {@code text}, {@code openmetrics} or {@code protobuf}
     * @param nanos  from the handler's start until the body was handed to the socket
     */
    void served(String format, boolean gzip, long nanos);

    /** A scrape answered 503 because {@code --web.max-requests} were already running. */
    void rejected();
}
