package io.listenq.exporter.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the web config's files look like on disk, cheaply: device, inode, size, mtime and ctime of each (one
 * {@code stat} per file, following symlinks as Kubernetes' Secret volumes need: they rotate by swapping a
 * {@code ..data} link, which changes the inode). Two equal stamps mean nothing was rewritten, renamed over or
 * touched in between; a missing or unreadable file has a stamp of its own, so its return is a change too.
 */
record FileStamps(List<Stamp> stamps) {
    record Stamp(Path path, Object device, Object inode, long size, Object mtime, Object ctime) {
        static Stamp missing(Path path) {
            return new Stamp(path, null, null, -1, null, null);
        }
    }

    FileStamps {
        stamps = List.copyOf(stamps);
    }

    static FileStamps of(List<Path> paths) {
        List<Stamp> out = new ArrayList<>(paths.size());
        for (Path p : paths) {
            try {
                Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size,lastModifiedTime,ctime");
                out.add(new Stamp(
                        p,
                        a.get("dev"),
                        a.get("ino"),
                        (Long) a.get("size"),
                        a.get("lastModifiedTime"),
                        a.get("ctime")));
            } catch (IOException | UnsupportedOperationException e) {
                // gone or unreadable right now: the reload that this change triggers says why, in one line
                out.add(Stamp.missing(p));
            }
        }
        return new FileStamps(out);
    }

    /** The config file itself, then every TLS file it names (inline PEM has no file to watch). */
    static List<Path> watched(Path configFile, WebConfig config) {
        List<Path> out = new ArrayList<>();
        out.add(configFile);
        config.tls().ifPresent(tls -> {
            addFile(out, tls.cert());
            addFile(out, tls.key());
            tls.clientCa().ifPresent(ca -> addFile(out, ca));
        });
        return out;
    }

    private static void addFile(List<Path> out, TlsSettings.Source source) {
        if (source instanceof TlsSettings.FileSource(Path path) && !out.contains(path)) {
            out.add(Objects.requireNonNull(path));
        }
    }
}
