package io.listenq.benchmarks.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The samples of one Prometheus text exposition, enough to read the exporter's self-metrics back: name, the raw
 * label text between the braces, value. Not a full parser (no escapes inside label values are needed here).
 */
record MetricsText(List<Sample> samples) {
    record Sample(String name, String labels, double value) {}

    static MetricsText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            String labels = "";
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                labels = line.substring(brace + 1, line.lastIndexOf('}'));
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            try {
                out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException e) {
                // a timestamp or an exotic value: not ours to read
            }
        }
        return new MetricsText(out);
    }

    /** Sum of every sample of {@code name} whose label text contains {@code labelPart} ("" for all). */
    OptionalDouble sum(String name, String labelPart) {
        double sum = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().contains(labelPart)) {
                sum += s.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    OptionalDouble sum(String name) {
        return sum(name, "");
    }

    long count(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).count();
    }
}
