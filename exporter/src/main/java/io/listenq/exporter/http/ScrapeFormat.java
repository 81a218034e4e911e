package io.listenq.exporter.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.util.Locale;

/**
 * How a scrape is answered, from its {@code Accept} and {@code Accept-Encoding} headers. Cannot throw: a header it
 * cannot read gets the plain text format, uncompressed, and one log line per kind of problem.
 */
final class ScrapeFormat {
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final RequestProblems problems;

    ScrapeFormat(RequestProblems problems) {
        this.problems = problems;
    }

    /** The writer for an Accept header; the text format when it names nothing we have or cannot be read. */
    ExpositionFormatWriter writer(String accept) {
        try {
            ExpositionFormatWriter w = formats.findWriter(accept);
            if (w != null && w.isAvailable()) {
                return w;
            }
        } catch (RuntimeException e) {
            problems.report("unreadable Accept header", e);
        }
        return formats.getPrometheusTextFormatWriter();
    }

    /**
     * Whether an Accept-Encoding value (RFC 9110 section 12.5.3) allows gzip: {@code gzip}, {@code x-gzip} or
     * {@code *} with a non-zero q-value; an explicit {@code gzip;q=0} refuses it even when {@code *} is allowed.
     * Empty elements ({@code ,}, {@code ;}) are skipped as the RFC's list syntax allows.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean named = null;
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";", -1);
            String coding = params[0].strip().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            boolean allowed = qValue(params) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = named == null ? allowed : named || allowed;
            } else if (coding.equals("*")) {
                star = allowed;
            }
        }
        return named != null ? named : star;
    }

    private static double qValue(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).strip());
                    return q >= 0 && q <= 1 ? q : 0; // NaN, Infinity, out of range: not an acceptance
                } catch (NumberFormatException e) {
                    return 0; // a malformed weight: not an acceptance we can rely on
                }
            }
        }
        return 1;
    }
}
