import com.sun.net.httpserver.HttpServer;
import io.listenq.collectors.linux.Native;
import io.listenq.collectors.linux.NetnsId;
import io.listenq.collectors.netlink.SockDiag;
import io.listenq.collectors.netns.NetnsSwitch;
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
 * and a /proc namespace on a platform thread, open a sock_diag socket there and dump its TCP
 * listeners, read /proc/sys/net, serve HTTP, run the JIT. Arguments: NETNS_FILE PID. Exit 0 when
 * everything worked.
 *
 * <p>It makes its system calls through the exporter's own classes (built against collectors'
 * classes): {@link NetnsSwitch} for open and setns, {@link SockDiag} and so {@link Native} for the
 * netlink socket (SOCK_DGRAM, SO_RCVBUF, send, recv), so what the unit allows or breaks here is
 * what it allows or breaks for the exporter.
 */
public final class UnitProbe {

    public static void main(String[] args) throws Throwable {
        List<String> failures = new CopyOnWriteArrayList<>();
        if (!Native.isAvailable()) {
            failures.add("native access: " + Native.unavailabilityCause());
        }
        Files.readString(Path.of("/proc/self/status"))
                .lines()
                .filter(l -> l.matches("(Uid|Cap(Eff|Amb)|NoNewPrivs|Seccomp):.*"))
                .forEach(l -> System.out.println("probe: " + l.replace('\t', ' ')));
        try (var entries = Files.list(Path.of("/proc"))) {
            System.out.println("probe: visible processes "
                    + entries.filter(p -> p.getFileName().toString().matches("\\d+"))
                            .count());
        }
        try {
            System.out.println("probe: /proc/" + args[1] + "/ns/net -> "
                    + Files.readSymbolicLink(Path.of("/proc", args[1], "ns", "net")));
            // Not Files.readString: with st_size 0 it reads 1 byte, then at offset 1 the sysctl
            // handler returns EOF (docs/kernel.md §7).
            try (var in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
                System.out.println(
                        "probe: somaxconn " + new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
            }
        } catch (Exception e) {
            failures.add(e.toString());
        }
        for (String target : List.of(args[0], "/proc/" + args[1] + "/ns/net")) {
            // A thread of its own: setns changes the calling thread's namespace only.
            Thread.ofPlatform()
                    .start(() -> {
                        try (NetnsSwitch netns = new NetnsSwitch(Path.of("/proc"));
                                NetnsSwitch.Handle handle = netns.open(Path.of(target), NetnsId.of(Path.of(target)))) {
                            netns.enter(handle);
                            try (SockDiag diag = SockDiag.open()) {
                                int listeners = diag.tcpListeners(Native.AF_INET)
                                                .size()
                                        + diag.tcpListeners(Native.AF_INET6).size();
                                System.out.println(
                                        "probe: joined " + Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))
                                                + " through " + target + ", " + listeners + " TCP listeners, netstat "
                                                + Files.readString(Path.of("/proc/thread-self/net/netstat"))
                                                        .length() + " bytes");
                            } finally {
                                netns.returnHome();
                            }
                        } catch (Throwable e) {
                            failures.add(target + ": " + e);
                        }
                    })
                    .join();
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
