package io.listenq.exporter.sample;

import io.listenq.collectors.procfs.CounterKey;
import io.listenq.collectors.procfs.CounterSelection;
import io.listenq.collectors.procfs.NetCounterFiles;
import io.listenq.collectors.procfs.ProcNet;
import io.listenq.collectors.procfs.SelectedCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code netstat} collector: net/snmp and net/sockstat(6) every round, net/netstat when {@link SkipPolicy}
 * says a TcpExt counter can have moved. The files are opened on first use inside the namespace (thread-self
 * resolves to the sampler thread's namespace then) and re-read with pread; the open seq_files keep reading that
 * namespace from then on (fs/proc/proc_net.c).
 */
final class NetstatSource extends KernelSource<NetnsCounters> {
    private static final NetnsCounter[] COUNTERS = NetnsCounter.values();
    /** Tcp InSegs rises for every TCP segment the namespace receives (tcp_v4_rcv, tcp_v6_rcv): not exported. */
    private static final CounterKey IN_SEGS = new CounterKey("Tcp", "InSegs");

    private static final int IN_SEGS_INDEX = COUNTERS.length;
    private static final CounterSelection SELECTION = selection();

    private final Path procfs;
    private NetCounterFiles files;
    /** Last value of each selected counter, and which are present (bit i for index i). */
    private final long[] values = new long[SELECTION.keys().size()];

    private long present;
    /** Tcp InSegs as last parsed: the same object while net/snmp comes back unchanged. */
    private OptionalLong inSegs = OptionalLong.empty();

    private boolean netstatKnown;
    /** What the last value object was built from: an unchanged read returns it without allocating. */
    private final long[] builtValues = new long[values.length];

    private long builtPresent = -1;
    private long builtInUse = -1;

    NetstatSource(Path procfs) {
        super(CollectorName.NETSTAT);
        this.procfs = procfs;
    }

    private static CounterSelection selection() {
        List<CounterKey> keys = new ArrayList<>();
        for (NetnsCounter c : COUNTERS) {
            keys.add(c.key());
        }
        keys.add(IN_SEGS);
        return new CounterSelection(keys);
    }

    /** As of the last read: the namespace's sockets that are not hashed IP ones ({@link NetCounterFiles#nonIpSockets}). */
    long nonIpSockets() {
        return files == null ? -1 : files.nonIpSockets();
    }

    /** Whether a read would open the files, which must happen inside the namespace. */
    boolean needsOpen() {
        return files == null;
    }

    /**
     * Reads the counters, entering the namespace first if the files must be opened; returns the last value object
     * itself when nothing changed (later stages compare by ==), allocating nothing then: net/snmp is parsed only
     * when its bytes differ from the last read's.
     */
    NetnsCounters read(SkipPolicy policy, SkipPolicy.Turn turn, NetnsEntry entry) throws IOException {
        if (files == null) {
            entry.enter();
            files = NetCounterFiles.open(procfs, ProcNet.THREAD_SELF);
        }
        OptionalLong inSegsBefore = inSegs;
        if (files.snmpChanged()) {
            absorb(files.snmp(SELECTION), "Tcp");
            inSegs = value(IN_SEGS_INDEX);
        }
        long tcpInUse = files.tcpInUse();
        if (policy.readNetstat(inSegsBefore, inSegs, netstatKnown, turn)) {
            netstatKnown = false; // until the read below succeeds
            absorb(files.readNetstat(SELECTION), "TcpExt");
            netstatKnown = true;
        }
        Optional<NetnsCounters> last = last();
        if (last.isPresent()
                && present == builtPresent
                && tcpInUse == builtInUse
                && Arrays.equals(values, builtValues)) {
            return last.get(); // an idle namespace: nothing allocated
        }
        Map<NetnsCounter, Long> exported = new EnumMap<>(NetnsCounter.class);
        for (NetnsCounter c : COUNTERS) {
            value(c.ordinal()).ifPresent(v -> exported.put(c, v));
        }
        System.arraycopy(values, 0, builtValues, 0, values.length);
        builtPresent = present;
        builtInUse = tcpInUse;
        return new NetnsCounters(exported, inSegs, OptionalLong.of(tcpInUse));
    }

    private OptionalLong value(int index) {
        return (present & (1L << index)) != 0 ? OptionalLong.of(values[index]) : OptionalLong.empty();
    }

    /** Takes in one file's values: the keys of that file's prefix are replaced, present or not. */
    private void absorb(SelectedCounters read, String prefix) {
        long[] v = read.values();
        List<CounterKey> keys = SELECTION.keys();
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).prefix().equals(prefix)) {
                continue;
            }
            if (read.has(keys.get(i))) {
                values[i] = v[i];
                present |= 1L << i;
            } else {
                present &= ~(1L << i);
            }
        }
    }

    @Override
    Optional<IOException> incomplete(NetnsCounters value) {
        if (Long.bitCount(present) == SELECTION.keys().size()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SELECTION.keys().size(); i++) {
            if ((present & (1L << i)) == 0) {
                names.add(SELECTION.keys().get(i).toString());
            }
        }
        return Optional.of(new IOException("kernel lacks columns " + String.join(", ", names)));
    }

    @Override
    void reset() {
        present = 0;
        inSegs = OptionalLong.empty();
        builtPresent = -1;
        netstatKnown = false;
        if (files != null) {
            files.close();
            files = null;
        }
    }
}
