// The listenq-exporter monitoring mixin: prometheusAlerts, prometheusRules, grafanaDashboards.
// Render it with deploy/mixin/render.sh; override _config (config.libsonnet) when importing it.
(import 'config.libsonnet') +
(import 'rules.libsonnet') +
(import 'alerts.libsonnet') +
(import 'dashboards.libsonnet')
