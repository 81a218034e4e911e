package io.listenq.collectors.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code --netns.include} / {@code --netns.exclude}: which discovered namespaces to sample.
 *
 * <p>The candidates of a namespace are its display name ({@code host} for the initial one), every
 * bind-mount name, its inode in decimal, container id, pod uid and comm (empty ones skipped). A pattern
 * must match a candidate <em>entirely</em> ({@link java.util.regex.Matcher#matches()}), like Prometheus
 * relabelling regexes: {@code docker-.*} rather than {@code docker-}. A namespace is kept when
 * {@code include} is absent or matches some candidate, and {@code exclude} is absent or matches none.
 *
 * @param include null for "everything"
 * @param exclude null for "nothing"
 */
public record NetnsFilter(Pattern include, Pattern exclude) implements Predicate<DiscoveredNetns> {

    public static final NetnsFilter ALL = new NetnsFilter(null, null);

    /** Builds a filter from flag values; null or empty means absent. */
    public static NetnsFilter of(String include, String exclude) {
        return new NetnsFilter(compile(include), compile(exclude));
    }

    private static Pattern compile(String regex) {
        return regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
    }

    @Override
    public boolean test(DiscoveredNetns ns) {
        return test(candidates(ns));
    }

    /** Applies the filter to an explicit candidate list. */
    public boolean test(List<String> candidates) {
        if (include != null
                && candidates.stream().noneMatch(c -> include.matcher(c).matches())) {
            return false;
        }
        return exclude == null
                || candidates.stream().noneMatch(c -> exclude.matcher(c).matches());
    }

    /** The strings a namespace is matched by. */
    public static List<String> candidates(DiscoveredNetns ns) {
        List<String> out = new ArrayList<>(5 + ns.names().size());
        addIfPresent(out, ns.name());
        ns.names().forEach(n -> addIfPresent(out, n));
        out.add(ns.id().inodeText());
        addIfPresent(out, ns.identity().containerId());
        addIfPresent(out, ns.identity().podUid());
        addIfPresent(out, ns.comm());
        return out;
    }

    private static void addIfPresent(List<String> out, String s) {
        if (!s.isEmpty() && !out.contains(s)) {
            out.add(s);
        }
    }

    // Pattern has identity equality; compare the source and flags so equal flags give equal filters.
    @Override
    public boolean equals(Object o) {
        return o instanceof NetnsFilter f && same(f.include, include) && same(f.exclude, exclude);
    }

    private static boolean same(Pattern a, Pattern b) {
        return a == null ? b == null : b != null && a.pattern().equals(b.pattern()) && a.flags() == b.flags();
    }

    @Override
    public int hashCode() {
        return Objects.hash(include == null ? null : include.pattern(), exclude == null ? null : exclude.pattern());
    }
}
