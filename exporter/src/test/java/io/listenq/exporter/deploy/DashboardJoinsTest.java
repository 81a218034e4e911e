package io.listenq.exporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards' name and owner joins, evaluated by {@code promtool test rules} on series made up here:
 * namespace 100 has listenq_netns_info (comm nginx, a pod) and a systemd-owned listener in listenq_listener_info;
 * namespace 200 has neither info series. The drops table must show both listeners, 100 with its name and owner,
 * 200 under its inode and without owner (the {@code or on (...)} fallback), and a container-owned listener gets
 * "container" and the short id. The real-Prometheus e2e test covers the queries on the exporter's own series.
 */
class DashboardJoinsTest {
    private static final String JOB = "job=\"listenq-exporter\",instance=\"h1:9469\"";

    @TempDir
    Path tmp;

    @Test
    void tablesShowNamesAndOwnersAndKeepListenersWithoutInfo() throws Exception {
        DeployTools.requireTool("node");
        DeployTools.requireTool("promtool");
        Path root = DeployTools.repoRoot();
        List<DashboardQueries.Query> queries = DashboardQueries.list(root, Map.of("instance", "h1:9469"));
        String drops = queries.stream()
                .filter(q -> q.source().equals("panel 9 Top listeners by drops (time range)"))
                .map(DashboardQueries.Query::expr)
                .findFirst()
                .orElseThrow();
        String fill = queries.stream()
                .filter(q -> q.source().equals("panel 10 Top listeners by peak fill"))
                .map(DashboardQueries.Query::expr)
                .findFirst()
                .orElseThrow();

        String l100 = JOB + ",netns=\"100\",family=\"ipv4\",address=\"0.0.0.0\",port=\"80\"";
        String l200 = JOB + ",netns=\"200\",family=\"ipv6\",address=\"::\",port=\"8080\"";
        String l300 = JOB + ",netns=\"300\",family=\"ipv4\",address=\"10.0.0.1\",port=\"443\"";
        String test = """
                rule_files: []
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'listenq_listener_drops_total{%1$s}'
                        values: '0+60x70'
                      - series: 'listenq_listener_drops_total{%2$s}'
                        values: '0+6x70'
                      - series: 'listenq_netns_info{%4$s,netns="100",name="",pid="42",comm="nginx",container_id="",pod_uid="abc"}'
                        values: '1x70'
                      - series: 'listenq_listener_info{%1$s,cgroup="/system.slice/nginx.service",unit="nginx.service",container_id="",pod_uid=""}'
                        values: '1x70'
                      - series: 'listenq:accept_queue_peak_fill_ratio{%3$s}'
                        values: '0.5x70'
                      - series: 'listenq_listener_info{%3$s,cgroup="/kubepods/pod1/cri-containerd-0123456789abcdef0123",unit="cri-containerd-0123456789abcdef0123.scope",container_id="0123456789abcdef0123",pod_uid="p1"}'
                        values: '1x70'
                    promql_expr_test:
                      - expr: '%5$s'
                        eval_time: 60m
                        exp_samples:
                          - labels: '{%1$s,ns="nginx/100",comm="nginx",pod_uid="abc",owner="nginx.service"}'
                            value: 3600
                          - labels: '{%2$s,ns="netns 200"}'
                            value: 360
                      - expr: '%6$s'
                        eval_time: 60m
                        exp_samples:
                          - labels: '{%3$s,ns="netns 300",owner="container 0123456789ab"}'
                            value: 0.5
                """.formatted(l100, l200, l300, JOB, drops.replace("'", "''"), fill.replace("'", "''"));
        Files.writeString(tmp.resolve("joins.test.yml"), test);
        DeployTools.Result r = DeployTools.run(tmp, 60, List.of("promtool", "test", "rules", "joins.test.yml"));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }
}
