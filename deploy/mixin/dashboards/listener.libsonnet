// listenq / listener: one listener's accept queue, drops, SYN queue and namespace counters. The netns
// variable shows namespace names (value: the inode the series carry); the overview's tables link here
// with cluster, job, instance, netns, address and port set.
local k = import 'common.libsonnet';

function(config)
  local c = k.defaults + config;
  local N = '%s=~"$cluster",job=~"$job",instance="$instance",netns="$netns"' % c.clusterLabel;
  local L = N + ',address="$listener",port=~"$port"';
  local key = k.nsKey(c);
  local lkey = k.listenerKey(c);
  local sum(metric) = 'sum(%s{%s})' % [metric, L];
  local rate(metric, sel=L) = 'sum(rate(%s{%s}[$__rate_interval]))' % [metric, sel];
  local t(expr, legend, ref='A') = k.target(expr, legend, ref);
  local queueLegend = {
    legend: { displayMode: 'table', placement: 'right', calcs: ['max', 'lastNotNull'], showLegend: true },
  };

  k.dashboard(
    c,
    'listenq-listener',
    'listenq / listener',
    "One listener's accept queue (length, peak, backlog), drops, full time and SYN queue, its owner, and its namespace's counters.",
    [
      k.row('Accept queue of ${listener}:${port} in ${netns:text}', 0),
      k.timeseries('Queue length vs backlog',
                   'Current length (sampled), peak length over --peak.window and the backlog (sk_max_ack_backlog). The queue holds backlog+1, so length above backlog means full.',
                   k.grid(0, 1, 16, 9), [
                     t(sum('listenq_accept_queue_length'), 'length'),
                     t(sum('listenq_accept_queue_peak_length'), 'peak', 'B'),
                     t(sum('listenq_accept_queue_backlog'), 'backlog', 'C'),
                   ]) { options+: queueLegend },
      k.stat('Backlog', 'sk_max_ack_backlog = min(listen() backlog, somaxconn at listen() time).', k.grid(16, 1, 4, 3),
             sum('listenq_accept_queue_backlog'), 'backlog'),
      k.stat('somaxconn', 'net.core.somaxconn of this namespace now. Backlog equal to it means the application\'s backlog was probably clamped.',
             k.grid(20, 1, 4, 3), 'max(listenq_somaxconn{%s})' % N, 'somaxconn'),
      k.panel('table', 'Owner',
              'Who created the listening socket (listenq_listener_info: cgroup, systemd unit, container, pod), as the kernel reports the cgroup of the socket. Only the listener key when the exporter does not export listener_info.',
              k.grid(16, 4, 8, 6), [
                k.target('topk by (%s) (1, listenq_listener_info{%s}) or on (%s) max by (%s) (listenq_accept_queue_backlog{%s})'
                         % [lkey, L, lkey, lkey, L], table=true),
              ]) {
        transformations: [{
          id: 'organize',
          options: { excludeByName: { Time: true, Value: true, __name__: true, job: true, instance: true, netns: true } },
        }],
        options: { showHeader: true },
      },
      k.stat('Peak fill', 'Peak length over --peak.window divided by backlog+1.', k.grid(0, 10, 4, 3),
             '%s / (%s + 1)' % [sum('listenq_accept_queue_peak_length'), sum('listenq_accept_queue_backlog')], 'peak fill',
             'percentunit', [['orange', 0.5], ['red', 0.9]]),
      k.stat('Sockets', 'Listening sockets behind this series (SO_REUSEPORT group size).', k.grid(4, 10, 4, 3),
             sum('listenq_listener_sockets'), 'sockets'),
      k.stat('Drops (time range)', 'Packets dropped on this listener over the time range.', k.grid(8, 10, 4, 3),
             'sum(increase(listenq_listener_drops_total{%s}[$__range]))' % L, 'drops', steps=[['red', 1]]),
      k.stat('Full time (time range)', 'Fraction of sampled time the queue was full over the time range.', k.grid(12, 10, 4, 3),
             'sum(rate(listenq_accept_queue_full_seconds_total{%s}[$__range]))' % L, 'full', 'percentunit',
             [['orange', 0.01], ['red', 0.1]]),
      k.timeseries('Listener drops', 'SYN or ACK packets dropped on this listener per second (sk_drops).', k.grid(0, 13, 12, 8),
                   [t(rate('listenq_listener_drops_total'), 'drops/s')], 'pps'),
      k.timeseries('Accept queue full time', 'Fraction of sampled time the queue was full (length > backlog).', k.grid(12, 13, 12, 8),
                   [t(rate('listenq_accept_queue_full_seconds_total'), 'full')], 'percentunit', 1),

      k.row('SYN queue', 21),
      k.timeseries('SYN queue length', 'Half-open connections (SYN-RECV) for this listener; the SYN queue is capped by the backlog too.',
                   k.grid(0, 22, 12, 8), [
                     t(sum('listenq_syn_queue_length'), 'SYN-RECV'),
                     t(sum('listenq_accept_queue_backlog'), 'backlog', 'B'),
                   ]),
      k.timeseries('Namespace SYN queue drops and cookies',
                   'Namespace-wide TcpExt TCPReqQFullDrop, TCPReqQFullDoCookies, SyncookiesSent and SyncookiesRecv per second.',
                   k.grid(12, 22, 12, 8), [
                     t(rate('listenq_syn_queue_drops_total', N), 'SYN queue drops'),
                     t(rate('listenq_syn_queue_cookies_total', N), 'SYN queue full, cookie', 'B'),
                     t(rate('listenq_syncookies_sent_total', N), 'cookies sent', 'C'),
                     t(rate('listenq_syncookies_received_total', N), 'cookies received', 'D'),
                   ], 'pps'),

      k.row('Namespace ${netns:text}', 30),
      k.timeseries('Namespace overflows and drops', 'TcpExt ListenOverflows and ListenDrops for the whole namespace, and passive opens, per second.',
                   k.grid(0, 31, 12, 8), [
                     t(rate('listenq_listen_overflows_total', N), 'ListenOverflows'),
                     t(rate('listenq_listen_drops_total', N), 'ListenDrops', 'B'),
                     t(rate('listenq_tcp_passive_opens_total', N), 'PassiveOpens', 'C'),
                   ], 'pps'),
      k.panel('table', 'Namespace identity and settings', 'Who lives in this namespace (listenq_netns_info) and its sysctls.',
              k.grid(12, 31, 12, 8), [
                k.target('max by (%s, name, pid, comm, container_id, pod_uid) (listenq_netns_info{%s})' % [key, N], table=true),
              ] + [
                k.target('max by (%s) (%s{%s})' % [key, m[0], N], ref=m[1], table=true)
                for m in [['listenq_somaxconn', 'B'], ['listenq_tcp_max_syn_backlog', 'C'], ['listenq_tcp_syncookies', 'D'],
                          ['listenq_tcp_abort_on_overflow', 'E']]
              ]) {
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, 'Value #A': true },
              renameByName: {
                'Value #B': 'somaxconn',
                'Value #C': 'tcp_max_syn_backlog',
                'Value #D': 'tcp_syncookies',
                'Value #E': 'tcp_abort_on_overflow',
              },
            },
          },
        ],
      },
    ],
    k.variables(c, [
      k.queryVar('instance', 'Instance', 'label_values(listenq_build_info{%s=~"$cluster",job=~"$job"}, instance)' % c.clusterLabel),
      // Text: the namespace's name (see common.libsonnet withNames); value: its inode.
      k.queryVar('netns', 'Namespace', 'query_result(max by (netns, ns) (%s))'
                                      % std.stripChars(k.withNames(c, '%s=~"$cluster",job=~"$job",instance="$instance"' % c.clusterLabel,
                                                                   'group by (%s) (listenq_accept_queue_backlog{%s=~"$cluster",job=~"$job",instance="$instance"})'
                                                                   % [key, c.clusterLabel]), '\n'))
      + { regex: '/^(?=.*\\bnetns="(?<value>[^"]+)")(?=.*\\bns="(?<text>[^"]*)")/' },
      k.queryVar('listener', 'Address', 'label_values(listenq_accept_queue_backlog{%s}, address)' % N),
      k.queryVar('port', 'Port', 'label_values(listenq_accept_queue_backlog{%s,address="$listener"}, port)' % N) { includeAll: true },
    ]),
    [{
      title: 'listenq / overview',
      type: 'link',
      url: '/d/listenq-overview?${__url_time_range}&${datasource:queryparam}&${cluster:queryparam}&${job:queryparam}&${instance:queryparam}',
      icon: 'dashboard',
      tooltip: 'All namespaces and listeners',
      asDropdown: false,
      includeVars: false,
      keepTime: false,
      targetBlank: false,
      tags: [],
    }],
  )
