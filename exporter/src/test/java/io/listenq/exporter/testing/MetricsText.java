package io.listenq.exporter.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A scraped Prometheus text exposition, parsed for assertions (samples only; comments skipped). */
public final class MetricsText {
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    private final String text;
    private final List<Sample> samples;

    private MetricsText(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    public static MetricsText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            samples.add(parseLine(line));
        }
        return new MetricsText(text, List.copyOf(samples));
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space;
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // skip ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = i + 1;
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String rest = line.substring(space).strip();
        int end = rest.indexOf(' ');
        return new Sample(name, Map.copyOf(labels), Double.parseDouble(end < 0 ? rest : rest.substring(0, end)));
    }

    public String text() {
        return text;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples of {@code name} whose labels include all {@code labelPairs} (name, value, name, value...). */
    public List<Sample> find(String name, String... labelPairs) {
        List<Sample> out = new ArrayList<>();
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                    continue outer;
                }
            }
            out.add(s);
        }
        return out;
    }

    /** The one sample matching; fails when there is none or more than one. */
    public double value(String name, String... labelPairs) {
        return single(name, labelPairs)
                .orElseThrow(
                        () -> new AssertionError("no sample " + name + " " + List.of(labelPairs) + " in:\n" + text))
                .value();
    }

    public Optional<Sample> single(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(labelPairs) + ": " + found);
        }
        return found.stream().findFirst();
    }
}
