package io.listenq.exporter;

import io.listenq.exporter.metrics.BuildInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.regex.Pattern;

/** The build's version and git revision, from a resource Maven filters at build time. */
public final class Version {
    /** A full git object name; anything else (an unfiltered placeholder, git's error text) is not a revision. */
    private static final Pattern REVISION = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private Version() {}

    public static String get() {
        return properties().getProperty("version", "unknown");
    }

    /** The commit the jar was built from, or "unknown" for a build outside a git checkout (a source tarball). */
    public static String revision() {
        return revision(properties().getProperty("revision", ""));
    }

    static String revision(String filtered) {
        String r = filtered.strip();
        return REVISION.matcher(r).matches() ? r : "unknown";
    }

    public static BuildInfo buildInfo() {
        return new BuildInfo(get(), revision(), System.getProperty("java.version", "unknown"));
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/listenq-exporter.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a jar that cannot read its own resource: the version is unknown, which build_info then says
        }
        return p;
    }
}
