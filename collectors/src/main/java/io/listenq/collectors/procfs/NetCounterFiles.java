package io.listenq.collectors.procfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code net/netstat} and {@code net/snmp} of one network namespace, opened once and re-read every round.
 *
 * <p>The namespace is fixed at open time: {@code /proc/<pid>/net} and {@code /proc/thread-self/net} resolve to
 * the task's namespace then, and the open seq_file keeps reading it (and keeps it alive) from any thread
 * afterwards (kernel.md §3, §4). So open it on the thread that {@code setns}'d into the namespace, and
 * close it when the namespace leaves the enumeration.
 */
public final class NetCounterFiles implements AutoCloseable {
    private final Path netstatPath;
    private final Path snmpPath;
    private final FileChannel netstat;
    private final FileChannel snmp;

    private NetCounterFiles(Path netstatPath, Path snmpPath, FileChannel netstat, FileChannel snmp) {
        this.netstatPath = netstatPath;
        this.snmpPath = snmpPath;
        this.netstat = netstat;
        this.snmp = snmp;
    }

    /** Opens {@code <procRoot>/<pid>/net/netstat} and {@code snmp}; pid may be {@link ProcNet#THREAD_SELF}. */
    public static NetCounterFiles open(Path procRoot, String pid) throws IOException {
        Path net = ProcNet.netDir(procRoot, pid);
        Path netstatPath = net.resolve("netstat");
        Path snmpPath = net.resolve("snmp");
        FileChannel netstat = FileChannel.open(netstatPath, StandardOpenOption.READ);
        try {
            return new NetCounterFiles(netstatPath, snmpPath, netstat,
                    FileChannel.open(snmpPath, StandardOpenOption.READ));
        } catch (IOException | RuntimeException e) {
            netstat.close();
            throw e;
        }
    }

    /** The selected counters of both files, as they are now. */
    public SelectedCounters read(CounterSelection selection) throws IOException {
        return selection.parse(netstatPath.toString(), ProcFile.read(netstat, netstatPath.toString()))
                .merge(selection.parse(snmpPath.toString(), ProcFile.read(snmp, snmpPath.toString())));
    }

    @Override
    public void close() throws IOException {
        try (snmp) {
            netstat.close();
        }
    }
}
