import com.sun.net.httpserver.HttpServer;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stands in for the exporter inside the hardened unit (run-under-systemd.sh --probe) and does
 * what the namespace mode needs: read /proc/PID/ns/net of a root process, setns into a named
 * and a /proc namespace on a platform thread, open a sock_diag socket there, read /proc/sys/net,
 * serve HTTP, run the JIT. Arguments: NETNS_FILE PID. Exit 0 when everything worked.
 */
public final class UnitProbe {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final int O_CLOEXEC = 0x80000; // include/uapi/asm-generic/fcntl.h
    private static final int CLONE_NEWNET = 0x40000000; // include/uapi/linux/sched.h
    private static final int AF_NETLINK = 16, SOCK_RAW = 3, NETLINK_SOCK_DIAG = 4; // linux/socket.h, netlink.h

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    public static void main(String[] args) throws Throwable {
        List<String> failures = new CopyOnWriteArrayList<>();
        Files.readString(Path.of("/proc/self/status")).lines()
                .filter(l -> l.matches("(Uid|Cap(Eff|Amb)|NoNewPrivs|Seccomp):.*"))
                .forEach(l -> System.out.println("probe: " + l.replace('\t', ' ')));
        try (var entries = Files.list(Path.of("/proc"))) {
            System.out.println("probe: visible processes "
                    + entries.filter(p -> p.getFileName().toString().matches("\\d+")).count());
        }
        try {
            System.out.println("probe: /proc/" + args[1] + "/ns/net -> "
                    + Files.readSymbolicLink(Path.of("/proc", args[1], "ns", "net")));
            // Not Files.readString: with st_size 0 it reads 1 byte, then at offset 1 the sysctl
            // handler returns EOF (kernel/sysctl.c, __do_proc_dointvec: *ppos && !write).
            try (var in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
                System.out.println("probe: somaxconn " + new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
            }
        } catch (Exception e) {
            failures.add(e.toString());
        }
        MethodHandle open = function("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setns = function("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle socket = function("socket",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        for (String target : List.of(args[0], "/proc/" + args[1] + "/ns/net")) {
            // A thread of its own: setns changes the calling thread's namespace only.
            Thread.ofPlatform().start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment state = arena.allocate(STATE);
                    int fd = (int) open.invokeExact(state, arena.allocateFrom(target), O_CLOEXEC);
                    if (fd < 0) {
                        failures.add("open " + target + ": errno " + (int) ERRNO.get(state, 0L));
                    } else if ((int) setns.invokeExact(state, fd, CLONE_NEWNET) != 0) {
                        failures.add("setns " + target + ": errno " + (int) ERRNO.get(state, 0L));
                    } else if ((int) socket.invokeExact(state, AF_NETLINK, SOCK_RAW | O_CLOEXEC, NETLINK_SOCK_DIAG) < 0) {
                        failures.add("sock_diag socket in " + target + ": errno " + (int) ERRNO.get(state, 0L));
                    } else {
                        System.out.println("probe: joined " + Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))
                                + " through " + target + ", netstat " + Files.readString(Path.of("/proc/thread-self/net/netstat")).length() + " bytes");
                    }
                } catch (Throwable e) {
                    failures.add(target + ": " + e);
                }
            }).join();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            for (int i = 0; i < 20; i++) {
                client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            }
        }
        server.stop(0);
        long sum = 0;
        for (int i = 0; i < 50_000_000; i++) {
            sum += i % 7; // hot enough for C2
        }
        System.out.println("probe: http and jit done (" + sum + ")");
        failures.forEach(f -> System.out.println("probe: FAIL " + f));
        System.out.println(failures.isEmpty() ? "probe: ALL OK" : "probe: FAILED");
        System.exit(failures.isEmpty() ? 0 : 1);
    }
}
