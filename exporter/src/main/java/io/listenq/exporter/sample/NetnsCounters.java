package io.listenq.exporter.sample;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One namespace's counters as read by {@link NetstatSource}: a counter the kernel did not give is absent, never 0.
 *
 * @param exported the exported counters that are present (unsigned 64-bit)
 * @param inSegs   Tcp InSegs (not exported: it only tells whether net/netstat can have moved)
 * @param tcpInUse TCP sockets hashed in the namespace, from sockstat and sockstat6 (moves with listen() and close)
 */
record NetnsCounters(Map<NetnsCounter, Long> exported, OptionalLong inSegs, OptionalLong tcpInUse) {
    static final NetnsCounters NONE = new NetnsCounters(Map.of(), OptionalLong.empty(), OptionalLong.empty());

    NetnsCounters {
        exported = exported.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(exported));
        Objects.requireNonNull(inSegs, "inSegs");
        Objects.requireNonNull(tcpInUse, "tcpInUse");
    }

    OptionalLong get(NetnsCounter c) {
        Long v = exported.get(c);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
