// listenq / overview: every listener of every namespace, ranked, in names (namespace, pod, container,
// process) and owners rather than inodes. Uses the recording rules of deploy/prometheus/listenq.rules.yml
// where their fixed windows fit; $__range and $__rate_interval where the dashboard's own window matters.
local k = import 'common.libsonnet';

function(config)
  local c = k.defaults + config;
  local S = '%s=~"$cluster",job=~"$job",instance=~"$instance"' % c.clusterLabel;
  local key = k.nsKey(c);
  local named(expr) = k.named(c, S, expr);
  local withNames(expr) = k.withNames(c, S, expr);
  local listenerLegend = '{{ns}} {{address}}:{{port}} {{owner}}';
  local nsLegend = '{{instance}} {{ns}}';
  local seriesLink = { fieldConfig+: { defaults+: { links: [k.listenerLink(false)] } } };
  local topTable(title, description, grid, expr, valueName, unit=null) =
    k.panel('table', title, description, grid, [k.target(named(expr), table=true)]) {
      fieldConfig+: {
        defaults+: { links: [k.listenerLink(true)] },
        overrides: [
          { matcher: { id: 'byName', options: valueName }, properties: [{ id: 'unit', value: if unit == null then 'short' else unit }] },
          k.hiddenColumn('netns'),
        ],
      },
      transformations: k.tableTransform(valueName),
    };
  local perNamespace(title, description, grid, rules) =
    k.timeseries(title, description, grid, [
      k.target(withNames('sum by (%s) (%s) > 0' % [key, r[0]]), r[1] + nsLegend, std.char(65 + i))
      for i in std.range(0, std.length(rules) - 1)
      for r in [rules[i]]
    ], 'pps');
  local namespaceSetting(metric, ref) =
    k.target(withNames('max by (%s) (%s{%s})' % [key, metric, S]), ref=ref, table=true);

  k.dashboard(
    c,
    'listenq-overview',
    'listenq / overview',
    'Listen queues of every listener in every network namespace, ranked by drops and fill, named after their namespace and owner.',
    [
      k.row('Now', 0),
      k.stat('Listeners', 'Listening sockets (SO_REUSEPORT groups count once).', k.grid(0, 1, 4, 4),
             'count(listenq_accept_queue_backlog{%s})' % S, 'listeners'),
      k.stat('Network namespaces', 'Namespaces sampled in the last round.', k.grid(4, 1, 4, 4),
             'sum(listenq_netns{%s})' % S, 'namespaces'),
      k.stat('Listeners full now', 'Listeners whose accept queue holds backlog+1 (recording rule listenq:accept_queue_fill_ratio).',
             k.grid(8, 1, 4, 4), 'count(listenq:accept_queue_fill_ratio{%s} >= 1) or vector(0)' % S, 'full', steps=[['red', 1]]),
      k.stat('Listener drops', 'SYN or ACK packets dropped on all listeners (sk_drops), per second over 1m (listenq:listener_drops:rate1m).',
             k.grid(12, 1, 4, 4), 'sum(listenq:listener_drops:rate1m{%s}) or vector(0)' % S, 'drops/s', 'pps',
             [['orange', 0.001], ['red', 1]]),
      k.stat('SYN cookies sent', 'SYN cookies sent in all namespaces, per second over 5m (with tcp_syncookies=2 this is every SYN).',
             k.grid(16, 1, 4, 4), 'sum(listenq:syncookies_sent:rate5m{%s}) or vector(0)' % S, 'cookies/s', 'pps'),
      k.stat('Sample age', "Seconds since each exporter's last completed sampling round.", k.grid(20, 1, 4, 4),
             'time() - listenq_last_sample_timestamp_seconds{%s}' % S, '{{instance}}', 's', [['orange', 10], ['red', 60]]),

      k.row('Listeners ranked (click a row for the listener dashboard)', 5),
      topTable('Top listeners by drops (time range)',
               "Packets dropped on each listener over the dashboard's time range (increase of listenq_listener_drops_total), with its namespace and owner.",
               k.grid(0, 6, 8, 9), 'topk(20, increase(listenq_listener_drops_total{%s}[$__range]) > 0)' % S, 'drops'),
      topTable('Top listeners by peak fill',
               'Peak accept-queue length over --peak.window against capacity (backlog+1); 100% = full (listenq:accept_queue_peak_fill_ratio).',
               k.grid(8, 6, 8, 9), 'topk(20, listenq:accept_queue_peak_fill_ratio{%s})' % S, 'peak fill', 'percentunit'),
      topTable('Top listeners by full time (5m)',
               'Share of sampled time each accept queue was full over the last 5 minutes (listenq:accept_queue_full_ratio:rate5m).',
               k.grid(16, 6, 8, 9), 'topk(20, listenq:accept_queue_full_ratio:rate5m{%s} > 0)' % S, 'full', 'percentunit'),
      k.timeseries('Listener drops (top 10)', 'Dropped SYN or ACK packets per second, per listener (listenq:listener_drops:rate1m).',
                   k.grid(0, 15, 12, 8), [k.target(named('topk(10, listenq:listener_drops:rate1m{%s} > 0)' % S), listenerLegend)],
                   'pps') + seriesLink,
      k.timeseries('Accept queue full time (top 10)',
                   'Fraction of sampled time each accept queue was full (length > backlog) over 5m (listenq:accept_queue_full_ratio:rate5m).',
                   k.grid(12, 15, 12, 8),
                   [k.target(named('topk(10, listenq:accept_queue_full_ratio:rate5m{%s} > 0)' % S), listenerLegend)],
                   'percentunit', 1) + seriesLink,
      k.timeseries('Accept queue peak fill (top 10)', 'Peak length over --peak.window divided by backlog+1 (listenq:accept_queue_peak_fill_ratio).',
                   k.grid(0, 23, 24, 8), [k.target(named('topk(10, listenq:accept_queue_peak_fill_ratio{%s})' % S), listenerLegend)],
                   'percentunit', 1) + seriesLink,

      k.row('Namespaces: accept queue overflows', 31),
      perNamespace('ListenOverflows by namespace', 'TcpExt ListenOverflows per second over 5m: packets dropped because an accept queue was full.',
                   k.grid(0, 32, 12, 8), [['listenq:listen_overflows:rate5m{%s}' % S, '']]),
      perNamespace('ListenDrops by namespace', 'TcpExt ListenDrops per second: every drop on a listener, overflows included.',
                   k.grid(12, 32, 12, 8), [['rate(listenq_listen_drops_total{%s}[$__rate_interval])' % S, '']]),

      k.row('SYN queue and cookies', 40),
      perNamespace('SYN queue drops by namespace', 'TcpExt TCPReqQFullDrop per second over 5m: SYNs dropped on a full SYN queue with syncookies off.',
                   k.grid(0, 41, 8, 8), [['listenq:syn_queue_drops:rate5m{%s}' % S, '']]),
      perNamespace('SYN cookies by namespace',
                   'Cookies sent (SyncookiesSent), received back (SyncookiesRecv) and failed (SyncookiesFailed) per second. Received far below sent suggests a flood.',
                   k.grid(8, 41, 8, 8), [
                     ['listenq:syncookies_sent:rate5m{%s}' % S, 'sent '],
                     ['rate(listenq_syncookies_received_total{%s}[$__rate_interval])' % S, 'received '],
                     ['rate(listenq_syncookies_failed_total{%s}[$__rate_interval])' % S, 'failed '],
                   ]),
      k.timeseries('SYN-RECV per listener (top 10)', 'Half-open connections (SYN queue length) per TCP listener.', k.grid(16, 41, 8, 8),
                   [k.target(named('topk(10, listenq_syn_queue_length{%s} > 0)' % S), listenerLegend)]) + seriesLink,

      k.row('Namespaces', 49),
      k.panel('table', 'Namespaces',
              "Who lives in each namespace (listenq_netns_info: ip-netns name, lowest pid's command, pod and container) and its sysctls. A listener's backlog is min(listen() backlog, somaxconn) at listen() time.",
              k.grid(0, 50, 24, 10), [
                namespaceSetting('listenq_somaxconn', 'A'),
                namespaceSetting('listenq_tcp_max_syn_backlog', 'B'),
                namespaceSetting('listenq_tcp_syncookies', 'C'),
                namespaceSetting('listenq_tcp_abort_on_overflow', 'D'),
                k.target(withNames('count by (%s) (listenq_accept_queue_backlog{%s})' % [key, S]), ref='E', table=true),
              ]) {
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, netns: false },
              indexByName: { ns: 0, comm: 1, pod_uid: 2, container_id: 3 },
              renameByName: {
                'Value #A': 'somaxconn',
                'Value #B': 'tcp_max_syn_backlog',
                'Value #C': 'tcp_syncookies',
                'Value #D': 'tcp_abort_on_overflow',
                'Value #E': 'listeners',
              },
            },
          },
        ],
      },

      k.row('Exporter', 60),
      k.timeseries('Collector success', "1 when the collector's last round succeeded.", k.grid(0, 61, 8, 7),
                   [k.target('listenq_collector_success{%s}' % S, '{{instance}} {{collector}}')], max=1),
      k.timeseries('Collector duration', 'Time each collector took in the last round.', k.grid(8, 61, 8, 7),
                   [k.target('listenq_collector_duration_seconds{%s}' % S, '{{instance}} {{collector}}')], 's'),
      k.timeseries('Namespace errors', 'Namespaces that could not be sampled, per second, by reason; and the listener series left out now by --max-listeners (a count, not a rate).',
                   k.grid(16, 61, 8, 7), [
                     k.target('sum by (instance, reason) (rate(listenq_netns_errors_total{%s}[$__rate_interval]))' % S,
                              '{{instance}} {{reason}}'),
                     k.target('sum by (instance) (listenq_listeners_dropped{%s})' % S,
                              '{{instance}} listener series left out by --max-listeners', 'B'),
                   ]),
    ],
    k.variables(c, [
      k.queryVar('instance', 'Instance', 'label_values(listenq_build_info{%s=~"$cluster",job=~"$job"}, instance)' % c.clusterLabel,
                 multi=true),
    ]),
    [{
      title: 'listenq / listener',
      type: 'link',
      url: '/d/listenq-listener?${__url_time_range}&${datasource:queryparam}&${cluster:queryparam}&${job:queryparam}',
      icon: 'dashboard',
      tooltip: 'One listener in detail',
      asDropdown: false,
      includeVars: false,
      keepTime: false,
      targetBlank: false,
      tags: [],
    }],
  )
