package io.listenq.exporter.metrics;

import io.listenq.exporter.exposition.LabelBytes;
import io.listenq.exporter.sample.NetnsIdentity;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * One namespace's labels, rendered: {@code {netns="..."}}, shared by every per-namespace counter and sysctl family,
 * and the {@code listenq_netns_info} labels; text when the row is made, protobuf when first written. Kept from
 * snapshot to snapshot while the namespace and its identity stay ({@link NetnsFamilies}).
 */
final class NetnsRow {
    private static final String[] NAMES = {"netns"};
    /** The info family's label names, sorted as client_java sorts them. */
    private static final String[] INFO_NAMES = {"comm", "container_id", "name", "netns", "pid", "pod_uid"};

    private final String netns;
    private final NetnsIdentity identity;
    private final byte[] text;
    private final byte[] infoText;
    private volatile byte[] protobuf;
    private volatile byte[] infoProtobuf;

    NetnsRow(String netns, NetnsIdentity identity) {
        this.netns = netns;
        this.identity = identity;
        this.text = LabelBytes.text(1, i -> NAMES[i], i -> netns);
        this.infoText = LabelBytes.text(INFO_NAMES.length, i -> INFO_NAMES[i], this::infoValue);
    }

    static Map<String, NetnsRow> byNetns(NetnsRow[] rows) {
        Map<String, NetnsRow> m = HashMap.newHashMap(rows.length);
        for (NetnsRow r : rows) {
            m.put(r.netns, r);
        }
        return m;
    }

    boolean is(String netns, NetnsIdentity identity) {
        return this.netns.equals(netns) && this.identity.equals(identity);
    }

    byte[] text(boolean info) {
        return info ? infoText : text;
    }

    byte[] protobuf(boolean info) {
        if (info) {
            byte[] b = infoProtobuf;
            if (b == null) {
                b = LabelBytes.protobuf(INFO_NAMES.length, i -> INFO_NAMES[i], this::infoValue);
                infoProtobuf = b;
            }
            return b;
        }
        byte[] b = protobuf;
        if (b == null) {
            b = LabelBytes.protobuf(1, i -> NAMES[i], i -> netns);
            protobuf = b;
        }
        return b;
    }

    Labels labels(boolean info) {
        if (!info) {
            return Labels.of(NAMES, new String[] {netns});
        }
        String[] v = new String[INFO_NAMES.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = infoValue(i);
        }
        return Labels.of(INFO_NAMES, v);
    }

    /** client_java's order of the per-namespace families' points: by netns. */
    int compareTo(NetnsRow o) {
        return netns.compareTo(o.netns);
    }

    /** client_java's order of the info family's points: its values by label name. */
    int compareInfo(NetnsRow o) {
        for (int i = 0; i < INFO_NAMES.length; i++) {
            int c = infoValue(i).compareTo(o.infoValue(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private String infoValue(int i) {
        return switch (i) {
            case 0 -> identity.comm();
            case 1 -> identity.containerId();
            case 2 -> identity.name();
            case 3 -> netns;
            case 4 -> identity.pid();
            default -> identity.podUid();
        };
    }
}
