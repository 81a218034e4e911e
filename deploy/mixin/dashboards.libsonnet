// Grafana dashboards, by file name under grafana/dashboards/. First step: the committed JSON
// itself; replaced by the jsonnet sources in dashboards/ (overview.libsonnet, listener.libsonnet).
{
  grafanaDashboards+:: {
    'listenq-overview.json': import '../../grafana/dashboards/listenq-overview.json',
    'listenq-listener.json': import '../../grafana/dashboards/listenq-listener.json',
  },
}
