// Alerting rules. Why each threshold and duration is what it is: docs/runbook.md, "How the alerts decide".
local t = import 'templates.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local sel = c.listenqSelector,
    local runbook(name) = { runbook_url: c.runbookURLPattern % std.asciiLower(name) },
    local drops = 'rate(listenq_listener_drops_total{%s}[%s])' % [sel, c.alertWindow],
    local full = 'rate(listenq_accept_queue_full_seconds_total{%s}[%s])' % [sel, c.alertWindow],
    // Per-listener alerts: short window, for: just longer than the window, kept firing.
    local listenerAlert(name, severity, expr, annotations) = {
      alert: name,
      expr: expr,
      'for': c.listenerFor,
      keep_firing_for: c.listenerKeepFiringFor,
      labels: { severity: severity },
      annotations: annotations { summary: annotations.summary + t.drill(c.drillPort) } + runbook(name),
    },

    // Annotations are written as ||| blocks for readability; the rendered ones have no trailing newline.
    local oneLine(rule) = rule { annotations: std.mapWithKey(function(k, v) std.rstripChars(v, '\n'), rule.annotations) },

    groups+: [
      {
        name: 'listenq.alerts',
        rules: std.map(oneLine, [
          listenerAlert('ListenqListenerDropping', 'warning', '%s > 0' % drops, {
            summary: 'Listener %s in netns {{ $labels.netns }}%s keeps dropping connection attempts' % [t.listener, t.netnsName],
            description: |||
              The kernel has been dropping SYN or ACK packets for %(listener)s listener %(listener_addr)s in network namespace {{ $labels.netns }}%(netns)s%(owner)s for more than %(for)s, now {{ $value | printf "%%.2f" }} per second. Its accept queue is full: the application does not accept() fast enough or its backlog is too small. Each drop delays a client by a second or more.
            ||| % { listener: '{{ $labels.family }}', listener_addr: t.listener, netns: t.netnsDetail, owner: t.owner, 'for': c.listenerFor },
          }),
          listenerAlert('ListenqListenerDropping', 'critical', |||
            %(drops)s > %(rate)g
            or
            (%(drops)s > 0 and %(full)s > %(share)g)
          ||| % { drops: drops, full: full, rate: c.dropsPerSecondCritical, share: c.fullShareCritical }, {
            summary: 'Listener %s in netns {{ $labels.netns }}%s drops {{ $value | printf "%%.1f" }} packets/s' % [t.listener, t.netnsName],
            description: |||
              %(listener)s listener %(listener_addr)s in network namespace {{ $labels.netns }}%(netns)s%(owner)s has been dropping {{ $value | printf "%%.1f" }} SYN or ACK packets per second for more than %(for)s (more than %(rate)s per second, or its accept queue full more than %(share)s of the time). Clients see connection timeouts: check that the application is alive and accepting, then add accept capacity or raise the backlog.
            ||| % { listener: '{{ $labels.family }}', listener_addr: t.listener, netns: t.netnsDetail, owner: t.owner, 'for': c.listenerFor, rate: c.dropsPerSecondCritical, share: '%g %%' % (c.fullShareCritical * 100) },
          }),
          listenerAlert('ListenqAcceptQueueSaturated', 'warning', '%s > %g' % [full, c.fullShareWarning], {
            summary: 'Accept queue of %s in netns {{ $labels.netns }}%s is full {{ $value | humanizePercentage }} of the time' % [t.listener, t.netnsName],
            description: |||
              The accept queue of %(listener)s listener %(listener_addr)s in network namespace {{ $labels.netns }}%(netns)s%(owner)s was full (length > backlog) {{ $value | humanizePercentage }} of the sampled time over the last %(window)s, for more than %(for)s. New connections are dropped (TCP) or refused (unix) while it is full.
            ||| % { listener: '{{ $labels.family }}', listener_addr: t.listener, netns: t.netnsDetail, owner: t.owner, 'for': c.listenerFor, window: c.alertWindow },
          }),
          listenerAlert('ListenqAcceptQueueSaturated', 'critical', '%s > %g' % [full, c.fullShareCritical], {
            summary: 'Accept queue of %s in netns {{ $labels.netns }}%s is full {{ $value | humanizePercentage }} of the time' % [t.listener, t.netnsName],
            description: |||
              The accept queue of %(listener)s listener %(listener_addr)s in network namespace {{ $labels.netns }}%(netns)s%(owner)s was full {{ $value | humanizePercentage }} of the sampled time over the last %(window)s, for more than %(for)s: the application has mostly stopped accepting connections.
            ||| % { listener: '{{ $labels.family }}', listener_addr: t.listener, netns: t.netnsDetail, owner: t.owner, 'for': c.listenerFor, window: c.alertWindow },
          }),
          {
            alert: 'ListenqSynQueueDrops',
            // TCPReqQFullDrop only counts while syncookies are off (tcp_conn_request(), net/ipv4/tcp_input.c).
            expr: |||
              listenq:syn_queue_drops:rate5m{%s} > 0
              and
              listenq_tcp_syncookies{%s} == 0
            ||| % [sel, sel],
            'for': c.synQueueDropsFor,
            labels: { severity: 'warning' },
            annotations: {
              summary: 'SYN queue overflowing in netns {{ $labels.netns }}%s with syncookies off' % t.netnsName,
              description: |||
                Network namespace {{ $labels.netns }}%s dropped {{ $value | printf "%%.2f" }} SYNs per second over the last 5 minutes, for more than %s, because a listener's SYN queue was full (TcpExt TCPReqQFullDrop), and net.ipv4.tcp_syncookies is 0 there, so the SYNs are lost. Find the listener with the highest listenq_syn_queue_length.
              ||| % [t.netnsDetail, c.synQueueDropsFor],
            } + runbook('ListenqSynQueueDrops'),
          },
          {
            alert: 'ListenqSynCookiesSent',
            // With tcp_syncookies=2 the kernel sends a cookie for every SYN, so only 1 means "queue full".
            expr: |||
              listenq:syncookies_sent:rate5m{%s} > 0
              and
              listenq_tcp_syncookies{%s} == 1
            ||| % [sel, sel],
            'for': c.synCookiesFor,
            labels: { severity: 'info' },
            annotations: {
              summary: 'SYN cookies sent in netns {{ $labels.netns }}%s: a SYN queue keeps overflowing' % t.netnsName,
              description: |||
                Network namespace {{ $labels.netns }}%s has been sending {{ $value | printf "%%.2f" }} SYN cookies per second for more than %s. With net.ipv4.tcp_syncookies=1 cookies go out only when a listener's SYN queue is full: either a SYN flood or a backlog too small for the connection rate. Connections still succeed, but may lose TCP options (window scaling, SACK).
              ||| % [t.netnsDetail, c.synCookiesFor],
            } + runbook('ListenqSynCookiesSent'),
          },
          {
            alert: 'ListenqBacklogClampedBySomaxconn',
            // listen() clamps the backlog to net.core.somaxconn (__sys_listen_socket(), net/socket.c).
            // A backlog equal to somaxconn was (very likely) clamped: say so while that queue fills.
            expr: |||
              (listenq_accept_queue_backlog{%(sel)s} == ignoring (family, address, port) group_left () listenq_somaxconn{%(sel)s})
              and
              (listenq:accept_queue_peak_fill_ratio{%(sel)s} >= %(ratio)g)
              and
              (increase(listenq_accept_queue_full_seconds_total{%(sel)s}[%(for)s]) > 0)
            ||| % { sel: sel, ratio: c.clampPeakFillRatio, 'for': c.clampFor },
            'for': c.clampFor,
            labels: { severity: 'info' },
            annotations: {
              summary: 'Backlog of %s in netns {{ $labels.netns }}%s is capped at somaxconn={{ $value }} and the queue fills up' % [t.listener, t.netnsName],
              description: |||
                {{ $labels.family }} listener %s in network namespace {{ $labels.netns }}%s%s has a backlog of {{ $value }}, equal to that namespace's net.core.somaxconn, so the application's requested backlog was most likely cut down, and its accept queue has been full at times for %s. Raise net.core.somaxconn in that namespace and restart the listener (the clamp is applied at listen() time).
              ||| % [t.listener, t.netnsDetail, t.owner, c.clampFor],
            } + runbook('ListenqBacklogClampedBySomaxconn'),
          },
          {
            alert: 'ListenqExporterNotSampling',
            // The sampler runs every --sample.interval (default 1s); a minute without a round means it is stuck.
            expr: 'time() - listenq_last_sample_timestamp_seconds{%s} > %d' % [sel, c.sampleStaleSeconds],
            'for': c.sampleStaleFor,
            labels: { severity: 'warning', cause: 'sample_stale' },
            annotations: {
              summary: 'listenq-exporter {{ $labels.instance }} has not sampled for {{ $value | humanizeDuration }}',
              description: |||
                The last completed sampling round of listenq-exporter on {{ $labels.instance }} is {{ $value | humanizeDuration }} old: queue metrics from it are stale and listenq alerts for its namespaces cannot fire. Check the exporter's log.
              |||,
            } + runbook('ListenqExporterNotSampling'),
          },
          {
            alert: 'ListenqExporterNotSampling',
            expr: 'up{%s} == 0' % sel,
            'for': c.scrapeFailedFor,
            labels: { severity: 'warning', cause: 'scrape_failed' },
            annotations: {
              summary: 'listenq-exporter {{ $labels.instance }} is down',
              description: |||
                Prometheus cannot scrape listenq-exporter on {{ $labels.instance }} (job {{ $labels.job }}): no listen-queue data from that host, and listenq alerts for it cannot fire.
              |||,
            } + runbook('ListenqExporterNotSampling'),
          },
          {
            alert: 'ListenqExporterNotSampling',
            expr: 'listenq_collector_success{%s} == 0' % sel,
            'for': c.collectorFailedFor,
            labels: { severity: 'warning', cause: 'collector_failed' },
            annotations: {
              summary: 'listenq-exporter {{ $labels.instance }}: collector {{ $labels.collector }} failing',
              description: |||
                Collector {{ $labels.collector }} of listenq-exporter on {{ $labels.instance }} has failed every round for %s, so the metrics it provides are missing. Check the exporter's log and listenq_netns_errors_total.
              ||| % c.collectorFailedFor,
            } + runbook('ListenqExporterNotSampling'),
          },
          {
            alert: 'ListenqExporterAbsent',
            // No target at all: discovery, the ServiceMonitor or the job name does not match the selector.
            expr: 'absent(up{%s})' % sel,
            'for': c.exporterAbsentFor,
            labels: { severity: 'warning' },
            annotations: {
              summary: 'No listenq-exporter target has been scraped for %s' % c.exporterAbsentFor,
              description: |||
                Prometheus has no series up{%s}: no listenq-exporter target is discovered, so every listenq alert is blind. Check that the exporter runs, that the ServiceMonitor or scrape_config selects it, and that its job name matches the mixin's listenqSelector.
              ||| % sel,
            } + runbook('ListenqExporterAbsent'),
          },
        ]),
      },
    ],
  },
}
