// Defaults of the listenq mixin. Override any of them when importing the mixin:
//   (import 'listenq-exporter/deploy/mixin/mixin.libsonnet') + { _config+:: { listenqSelector: 'job="listenq"' } }
// The timing values assume a 15 s scrape and evaluation interval and the exporter's default
// --sample.interval=1s; the reasoning is in docs/runbook.md ("How the alerts decide").
{
  _config+:: {
    // Selects the exporter's series in every rule. The ServiceMonitor (jobLabel
    // app.kubernetes.io/name) and the documented scrape_config both give job="listenq-exporter".
    listenqSelector: 'job="listenq-exporter"',

    // Window of the fast per-listener rates (drops, share of time full). At least 4 scrape
    // intervals, so that one missed scrape still leaves two samples.
    alertWindow: '1m',
    // How long drops (or a full queue) must go on before the alert fires. Longer than
    // alertWindow plus one scrape interval: a single short event (a stall, a burst) keeps the
    // windowed rate above 0 for at most alertWindow plus one interval, so it never lasts that long.
    // With 15 s scrapes a sustained overflow fires 75-105 s after its first drop.
    listenerFor: '75s',
    // A firing listener alert stays firing this long after its condition clears, so a listener
    // that drops, recovers and drops again is one notification, not one per episode.
    listenerKeepFiringFor: '10m',
    // The canary port of `listenq-exporter drill`: per-listener alert summaries on it say it is a drill.
    drillPort: '19469',

    // Severity by impact: critical above this many dropped packets per second...
    dropsPerSecondCritical: 1,
    // ...or while the accept queue is full this share of the sampled time (0-1).
    fullShareWarning: 0.1,
    fullShareCritical: 0.5,

    // Slower, per-namespace diagnosis alerts on the 5-minute recording rules (a listener's own
    // drops page first: tcp_conn_request() counts a SYN queue drop on the listener too).
    synQueueDropsFor: '10m',
    synCookiesFor: '10m',
    // Backlog equal to somaxconn while the queue peaks above this share of its capacity.
    clampPeakFillRatio: 0.9,
    clampFor: '10m',

    // Exporter health.
    sampleStaleSeconds: 60,
    sampleStaleFor: '2m',
    scrapeFailedFor: '5m',
    collectorFailedFor: '10m',
    exporterAbsentFor: '10m',

    // runbook_url of each alert: this pattern with %s replaced by the alert name in lower case
    // (the anchor of its section in docs/runbook.md). Point it at your own copy if you vendor the docs.
    runbookURLPattern: 'https://github.com/listenq/listenq-exporter/blob/main/docs/runbook.md#%s',

    // Metadata of the PrometheusRule object rendered for the Prometheus Operator.
    prometheusRuleName: 'listenq-exporter',
    prometheusRuleLabels: {
      'app.kubernetes.io/name': 'listenq-exporter',
      'app.kubernetes.io/component': 'exporter',
    },

    // Grafana (dashboards/common.libsonnet has the same defaults).
    clusterLabel: 'cluster',
    showMultiCluster: false,
    dashboardTags: ['listenq', 'tcp', 'linux'],
    dashboardRefresh: '30s',
    dashboardPeriod: 'now-3h',
  },
}
