package io.listenq.benchmarks.scenario;

/** How a scraper asks for /metrics: the request header that selects the exposition, as Prometheus sends it. */
enum Encoding {
    PLAIN("text", null, null),
    GZIP("text, gzip", "Accept-Encoding", "gzip"),
    PROTOBUF(
            "protobuf",
            "Accept",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");

    final String label;
    final String header;
    final String value;

    Encoding(String label, String header, String value) {
        this.label = label;
        this.header = header;
        this.value = value;
    }
}
