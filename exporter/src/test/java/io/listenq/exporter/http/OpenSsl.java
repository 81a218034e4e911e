package io.listenq.exporter.http;

import io.listenq.exporter.testing.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real keys and self-signed certificates from the openssl command, in each PEM form a user may bring. */
final class OpenSsl {
    /** How the key is written: the PEM block type in the comment. */
    enum KeyForm {
        /** PRIVATE KEY */
        RSA_PKCS8("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"),
        /** RSA PRIVATE KEY */
        RSA_PKCS1("genrsa", "-traditional", "2048"),
        /** PRIVATE KEY */
        EC_PKCS8("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"),
        /** EC PRIVATE KEY with a named curve: what {@code openssl ecparam -genkey} writes */
        EC_SEC1_P256("ecparam", "-name", "prime256v1", "-genkey", "-noout"),
        EC_SEC1_P384("ecparam", "-name", "secp384r1", "-genkey", "-noout"),
        /** EC PRIVATE KEY with the curve spelled out: refused, as Go refuses it */
        EC_SEC1_EXPLICIT("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit"),
        /** PRIVATE KEY */
        ED25519("genpkey", "-algorithm", "ed25519");

        final List<String> args;

        KeyForm(String... args) {
            this.args = List.of(args);
        }
    }

    private OpenSsl() {}

    static Path key(Path dir, String name, KeyForm form) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        // the subcommand, then -out, then its options (genrsa wants the key size last)
        List<String> cmd = new ArrayList<>(List.of(form.args.getFirst(), "-out", out.toString()));
        cmd.addAll(form.args.subList(1, form.args.size()));
        run(cmd);
        return out;
    }

    /** A self-signed certificate for localhost and 127.0.0.1 with this key. */
    static Path selfSigned(Path dir, String name, Path key, String commonName)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        run(List.of(
                "req",
                "-x509",
                "-key",
                key.toString(),
                "-subj",
                "/CN=" + commonName,
                "-days",
                "2",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-out",
                out.toString()));
        return out;
    }

    private static void run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ExternalTool.require("openssl").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output);
        }
    }
}
