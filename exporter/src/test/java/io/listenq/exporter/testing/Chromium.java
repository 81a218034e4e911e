package io.listenq.exporter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, as a real browser for the landing page: the DOM it built and a screenshot. Each run
 * gets a fresh profile directory. (JavaScript stays on: {@code --dump-dom} itself serialises the DOM with it; that
 * the page needs none is checked by its having no script element.)
 */
public final class Chromium {
    private Chromium() {}

    /** The DOM after loading {@code url}, serialised ({@code --dump-dom}). */
    public static String dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** Saves a PNG of {@code url} to {@code png} (a test artifact under target/). */
    public static void screenshot(String url, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(List.of("--window-size=1500,900", "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(List<String> args) throws IOException, InterruptedException {
        Path chromium = ExternalTool.require("chromium");
        Path profile = Files.createTempDirectory("lq-chromium");
        try {
            List<String> command = new ArrayList<>(List.of(
                    chromium.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-first-run",
                    "--disable-extensions",
                    "--user-data-dir=" + profile));
            command.addAll(args);
            Path stderr = profile.resolve("stderr.txt");
            Path stdout = profile.resolve("stdout.txt");
            Process p = new ProcessBuilder(command)
                    .redirectError(stderr.toFile())
                    .redirectOutput(stdout.toFile())
                    .start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("chromium did not finish within 90 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited " + p.exitValue() + ": " + Files.readString(stderr));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
