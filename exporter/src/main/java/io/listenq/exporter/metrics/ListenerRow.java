package io.listenq.exporter.metrics;

import io.listenq.collectors.cgroup.ListenerOwner;
import io.listenq.exporter.exposition.LabelBytes;
import io.listenq.exporter.sample.ListenerKey;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One listener series' labels, rendered: the text block of the value families and of the info family when the row is
 * made (every scrape in the text formats needs them), the protobuf ones when first written. Kept from snapshot to
 * snapshot while the listener's key and owner stay ({@link ListenerFamilies}).
 */
final class ListenerRow implements Comparable<ListenerRow> {
    /** The value families' label names, sorted as client_java sorts them, and the info family's. */
    private static final String[] NAMES = {"address", "family", "netns", "port"};

    private static final String[] INFO_NAMES = {
        "address", "cgroup", "container_id", "family", "netns", "pod_uid", "port", "unit"
    };

    private final ListenerKey key;
    /** Null for a unix listener: no info series (unix_diag gives no cgroup). */
    private final ListenerOwner owner;

    private final byte[] text;
    private final byte[] infoText;
    private volatile byte[] protobuf;
    private volatile byte[] infoProtobuf;

    ListenerRow(ListenerKey key, ListenerOwner owner) {
        this.key = key;
        this.owner = owner;
        this.text = LabelBytes.text(NAMES.length, i -> NAMES[i], this::value);
        this.infoText = owner == null ? null : LabelBytes.text(INFO_NAMES.length, i -> INFO_NAMES[i], this::infoValue);
    }

    private ListenerRow(ListenerRow same, ListenerOwner owner) {
        this.key = same.key;
        this.owner = owner;
        this.text = same.text;
        this.protobuf = same.protobuf;
        this.infoText = owner == null ? null : LabelBytes.text(INFO_NAMES.length, i -> INFO_NAMES[i], this::infoValue);
    }

    /** This listener's row with another owner: the value families' blocks stay. */
    ListenerRow withOwner(ListenerOwner owner) {
        return new ListenerRow(this, owner);
    }

    static Map<ListenerKey, ListenerRow> byKey(ListenerRow[] rows) {
        Map<ListenerKey, ListenerRow> m = HashMap.newHashMap(rows.length);
        for (ListenerRow r : rows) {
            m.put(r.key, r);
        }
        return m;
    }

    boolean is(ListenerKey key, ListenerOwner owner) {
        return this.key.equals(key) && Objects.equals(this.owner, owner);
    }

    ListenerOwner owner() {
        return owner;
    }

    byte[] text() {
        return text;
    }

    byte[] infoText() {
        return infoText;
    }

    byte[] protobuf() {
        byte[] b = protobuf;
        if (b == null) {
            b = LabelBytes.protobuf(NAMES.length, i -> NAMES[i], this::value);
            protobuf = b;
        }
        return b;
    }

    byte[] infoProtobuf() {
        byte[] b = infoProtobuf;
        if (b == null) {
            b = LabelBytes.protobuf(INFO_NAMES.length, i -> INFO_NAMES[i], this::infoValue);
            infoProtobuf = b;
        }
        return b;
    }

    /** The labels as client_java objects (info: the info family's). */
    Labels labels(boolean info) {
        return info
                ? Labels.of(INFO_NAMES, valuesOf(INFO_NAMES.length, true))
                : Labels.of(NAMES, valuesOf(NAMES.length, false));
    }

    private String[] valuesOf(int n, boolean info) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            v[i] = info ? infoValue(i) : value(i);
        }
        return v;
    }

    private String value(int i) {
        return switch (i) {
            case 0 -> key.address();
            case 1 -> key.family();
            case 2 -> key.netns();
            default -> key.port();
        };
    }

    private String infoValue(int i) {
        return switch (i) {
            case 0 -> key.address();
            case 1 -> owner.cgroup();
            case 2 -> owner.containerId();
            case 3 -> key.family();
            case 4 -> key.netns();
            case 5 -> owner.podUid();
            case 6 -> key.port();
            default -> owner.unit();
        };
    }

    /** client_java's order of the value families' points: by address, family, netns, port. */
    @Override
    public int compareTo(ListenerRow o) {
        return compare(NAMES.length, o, false);
    }

    /** client_java's order of the info family's points: its values by label name. */
    int compareInfo(ListenerRow o) {
        return compare(INFO_NAMES.length, o, true);
    }

    private int compare(int n, ListenerRow o, boolean info) {
        for (int i = 0; i < n; i++) {
            int c = info ? infoValue(i).compareTo(o.infoValue(i)) : value(i).compareTo(o.value(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
