package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/deployment.md against deploy/kubernetes: the memory table says what the manifests set, the
 * manifests run the shipped JVM options, and the example credentials fit together (the scrape
 * Secret's password and the probes' header match the web config's bcrypt hashes).
 */
class DeploymentDocsTest {
    /** A row of the docs' table: | `file` | `container` | cpu | memory request | memory limit | `options` |. */
    private static final Pattern ROW = Pattern.compile(
            "(?m)^\\| `([\\w.-]+\\.yaml)` \\| `([\\w-]+)` \\| (\\S+) \\| (\\S+) \\| (\\S+) \\| `([^`]*)` \\|$");

    private static Path root;

    @BeforeAll
    static void locate() {
        root = DeployTools.repoRoot();
    }

    @Test
    void memoryTableEqualsManifests() throws IOException {
        Matcher m = ROW.matcher(Files.readString(root.resolve("docs/deployment.md")));
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Map<String, Object> c = exporterContainer(m.group(1), m.group(2));
            Map<String, Object> resources = map(c.get("resources"));
            String what = m.group(1) + " " + m.group(2);
            assertThat(map(resources.get("requests")).get("cpu"))
                    .as("%s cpu request", what)
                    .isEqualTo(m.group(3));
            assertThat(map(resources.get("requests")).get("memory"))
                    .as("%s memory request", what)
                    .isEqualTo(m.group(4));
            assertThat(map(resources.get("limits")).get("memory"))
                    .as("%s memory limit", what)
                    .isEqualTo(m.group(5));
            String extra = m.group(6).equals("(none)") ? null : m.group(6);
            assertThat(env(c, "LISTENQ_JAVA_OPTIONS"))
                    .as("%s LISTENQ_JAVA_OPTIONS", what)
                    .isEqualTo(extra);
            checked.add(m.group(1));
        }
        assertThat(checked)
                .as("rows of the memory table")
                .containsExactlyInAnyOrder("daemonset.yaml", "sidecar-example.yaml");
    }

    @Test
    void manifestsRunTheShippedJvmOptions() throws IOException {
        // The image's runtime has exporter/src/main/runtime/jvm.options baked in; JDK_JAVA_OPTIONS would make the
        // java launcher print a NOTE line on every start and could only differ from the shipped options.
        for (String file : List.of("daemonset.yaml", "sidecar-example.yaml")) {
            assertThat(env(exporterContainer(file, "listenq-exporter"), "JDK_JAVA_OPTIONS"))
                    .as(file)
                    .isNull();
        }
    }

    @Test
    void exampleCredentialsMatchTheWebConfigHashes() throws IOException {
        List<Map<String, Object>> secrets = documents("web-config.yaml");
        Map<String, Object> webConfig = new Yaml().load((String)
                map(secretNamed(secrets, "listenq-exporter-web-config").get("stringData"))
                        .get("web-config.yml"));
        Map<String, Object> users = map(webConfig.get("basic_auth_users"));
        assertThat(map(webConfig.get("tls_server_config"))).as("TLS on").containsKeys("cert_file", "key_file");

        Map<String, Object> scrape =
                map(secretNamed(secrets, "listenq-exporter-scrape").get("stringData"));
        assertThat(verifies((String) scrape.get("password"), (String) users.get((String) scrape.get("username"))))
                .as("scrape Secret password against the hash of user %s", scrape.get("username"))
                .isTrue();

        Map<String, Object> ds = exporterContainer("daemonset.yaml", "listenq-exporter");
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            List<Map<String, Object>> headers =
                    list(map(map(ds.get(probe)).get("httpGet")).get("httpHeaders"));
            String value = (String) headers.getFirst().get("value");
            assertThat(value).startsWith("Basic ");
            String[] userPass =
                    new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            assertThat(verifies(userPass[1], (String) users.get(userPass[0])))
                    .as("%s header user %s against the web config", probe, userPass[0])
                    .isTrue();
        }
        // The check itself can fail: a wrong password does not verify.
        assertThat(verifies("wrong", (String) users.get("prometheus"))).isFalse();
    }

    private static boolean verifies(String password, String hash) {
        return hash != null && BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }

    private static Map<String, Object> secretNamed(List<Map<String, Object>> docs, String name) {
        return docs.stream()
                .filter(d -> "Secret".equals(d.get("kind"))
                        && name.equals(map(d.get("metadata")).get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Secret " + name));
    }

    /** The named container of the file's workload, among containers and init containers. */
    private static Map<String, Object> exporterContainer(String file, String name) throws IOException {
        for (Map<String, Object> doc : documents(file)) {
            if (!List.of("DaemonSet", "Deployment").contains(doc.get("kind"))) {
                continue;
            }
            Map<String, Object> pod =
                    map(map(map(doc.get("spec")).get("template")).get("spec"));
            List<Map<String, Object>> all = new ArrayList<>(list(pod.get("containers")));
            all.addAll(list(pod.getOrDefault("initContainers", List.of())));
            return all.stream()
                    .filter(c -> name.equals(c.get("name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no container " + name + " in " + file));
        }
        throw new AssertionError("no workload in " + file);
    }

    private static String env(Map<String, Object> container, String name) {
        Object env = container.get("env");
        if (env == null) {
            return null; // no env: section at all
        }
        return list(env).stream()
                .filter(e -> name.equals(e.get("name")))
                .map(e -> (String) e.get("value"))
                .findFirst()
                .orElse(null);
    }

    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml()
                .loadAll(Files.readString(root.resolve("deploy/kubernetes").resolve(file)))) {
            docs.add(map(o));
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Map<String, Object>>) o;
    }
}
