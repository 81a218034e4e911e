package io.listenq.exporter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The least HTTP/1.1 a load client needs: write a request, read one response (status, headers, a body of
 * Content-Length bytes) and keep the connection. Blocking, so each client is one virtual thread.
 */
public final class RawHttp {
    private RawHttp() {}

    /** Sends {@code request} and returns the response's status; -1 when the server closed the connection first. */
    public static int exchange(InputStream in, OutputStream out, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        StringBuilder head = new StringBuilder(256);
        while (head.length() < 4
                || head.charAt(head.length() - 1) != '\n'
                || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            head.append((char) c);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).strip());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    public static byte[] get(String path, String... headers) {
        StringBuilder b = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
