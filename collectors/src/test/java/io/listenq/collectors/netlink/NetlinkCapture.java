package io.listenq.collectors.netlink;

import io.listenq.collectors.linux.Native;
import io.listenq.collectors.testing.OverflowClient;
import io.listenq.collectors.testing.TestNetns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture tool (not a test): builds the scenario described in src/test/resources/netlink/README.md in
 * a fresh namespace, performs real dumps and writes the raw reply bytes plus ss's view of the same
 * moment. Run as root with the test classpath: {@code java --enable-native-access=ALL-UNNAMED -cp ...
 * io.listenq.collectors.netlink.NetlinkCapture <output dir>}.
 */
public final class NetlinkCapture {
    private NetlinkCapture() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "collectors/src/test/resources/netlink");
        Files.createDirectories(out);
        List<AutoCloseable> open = new ArrayList<>();
        Process abstractListener = null;
        try (TestNetns ns = TestNetns.create("lq-nl-cap");
                OverflowClient clients = new OverflowClient()) {
            ns.sysctl("net.core.somaxconn", "4096");
            InetAddress v4 = InetAddress.getByName("127.0.0.1");
            Path unixPath = Files.createTempDirectory("lq-nl-cap").resolve("listener.sock");
            ns.call(() -> {
                open.add(listen(StandardProtocolFamily.INET, new InetSocketAddress(v4, 40001), 4));
                open.add(listen(StandardProtocolFamily.INET, new InetSocketAddress("0.0.0.0", 40002), 128));
                open.add(listen(StandardProtocolFamily.INET6, new InetSocketAddress("::", 40003), 16));
                open.add(listen(StandardProtocolFamily.INET6, new InetSocketAddress("::1", 40004), 8));
                clients.connect(new InetSocketAddress(v4, 40001), 12);
                open.add(SocketChannel.open(new InetSocketAddress(v4, 40003)));
                open.add(SocketChannel.open(new InetSocketAddress(v4, 40003)));
                open.add(SocketChannel.open(new InetSocketAddress("::1", 40003)));
                clients.deferAcceptListener(new InetSocketAddress(v4, 40005), 16, 60);
                clients.connect(new InetSocketAddress(v4, 40005), 3);
                ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(UnixDomainSocketAddress.of(unixPath), 3);
                open.add(unix);
                for (int i = 0; i < 2; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.configureBlocking(false);
                    c.connect(UnixDomainSocketAddress.of(unixPath));
                    open.add(c);
                }
                return null;
            });
            // Java cannot bind abstract unix names; python can.
            abstractListener = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            ns.name(),
                            "python3",
                            "-c",
                            "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.bind('\\0lq-nl-capture')\ns.listen(7)\n"
                                    + "print('ok',flush=True)\nsys.stdin.read()")
                    .redirectErrorStream(true)
                    .start();
            abstractListener.getInputStream().read(new byte[3]);
            Thread.sleep(2_500);
            capture(ns, out, "tcp-listen-v4", InetDiag.listenRequest(Native.AF_INET, 1), new String[] {"ss", "-Hltnme"
            });
            capture(ns, out, "tcp-listen-v6", InetDiag.listenRequest(Native.AF_INET6, 1), new String[] {"ss", "-Hltnme"
            });
            capture(ns, out, "tcp-synrecv-v4", InetDiag.synRecvRequest(Native.AF_INET, 1), new String[] {
                "ss", "-Htn", "state", "syn-recv"
            });
            capture(ns, out, "unix-listen", UnixDiag.listenRequest(1), new String[] {"ss", "-Hxl"});
            capture(ns, out, "tcp-listen-both", InetDiag.listenRequestBothFamilies(1), new String[] {"ss", "-Hltnme"});
            capture(ns, out, "tcp-synrecv-both", InetDiag.synRecvRequestBothFamilies(1), new String[] {
                "ss", "-Htn", "state", "syn-recv"
            });
            System.out.println("kernel " + System.getProperty("os.version") + "; ss "
                    + ns.exec("ss", "-V").trim());
        } finally {
            if (abstractListener != null) {
                abstractListener.destroy();
            }
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    private static ServerSocketChannel listen(StandardProtocolFamily family, InetSocketAddress at, int backlog)
            throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(family);
        s.bind(at, backlog);
        return s;
    }

    /** Dumps until ss shows the same text before and after (drops move while clients retransmit). */
    private static void capture(TestNetns ns, Path out, String name, ByteBuffer request, String[] ss) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            String before = ns.exec(ss);
            byte[] bytes = ns.call(() -> {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                try (SockDiag diag = SockDiag.open()) {
                    diag.rawDump(request.duplicate(), name, d -> {
                        byte[] b = new byte[d.remaining()];
                        d.get(b);
                        raw.writeBytes(b);
                    });
                }
                return raw.toByteArray();
            });
            String after = ns.exec(ss);
            if (before.equals(after)) {
                Files.write(out.resolve(name + ".bin"), bytes);
                Files.writeString(out.resolve(name + ".ss.txt"), after);
                System.out.println("== " + name + ": " + bytes.length + " bytes\n" + after);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + ": ss output never stable");
    }
}
