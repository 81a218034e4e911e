// Grafana dashboards, by file name under grafana/dashboards/; sources in dashboards/ (plain
// jsonnet, functions of the mixin's _config).
local listener = import 'dashboards/listener.libsonnet';
local overview = import 'dashboards/overview.libsonnet';

{
  grafanaDashboards+:: {
    'listenq-overview.json': overview($._config),
    'listenq-listener.json': listener($._config),
  },
}
