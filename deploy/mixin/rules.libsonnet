// Recording rules: what the dashboards plot and some alerts read (names kept stable: dashboards
// and users' own rules refer to them). PrometheusRulesTest fails on one that nothing uses.
{
  prometheusRules+:: {
    local sel = $._config.listenqSelector,
    groups+: [
      {
        name: 'listenq.recording',
        rules: [
          // Per listener: dropped SYN or ACK packets per second (sk_drops, tcp_listendrop()).
          { record: 'listenq:listener_drops:rate1m', expr: 'rate(listenq_listener_drops_total{%s}[1m])' % sel },
          // Per listener: 0-1, share of the accept queue in use now (1 = full). The queue holds
          // backlog+1 connections (sk_acceptq_is_full() in include/net/sock.h tests >).
          { record: 'listenq:accept_queue_fill_ratio', expr: 'listenq_accept_queue_length{%s} / (listenq_accept_queue_backlog{%s} + 1)' % [sel, sel] },
          // Per listener: 0-1, the peak length over --peak.window against the queue's capacity.
          { record: 'listenq:accept_queue_peak_fill_ratio', expr: 'listenq_accept_queue_peak_length{%s} / (listenq_accept_queue_backlog{%s} + 1)' % [sel, sel] },
          // Per listener: 0-1, share of sampled time the accept queue was full.
          { record: 'listenq:accept_queue_full_ratio:rate5m', expr: 'rate(listenq_accept_queue_full_seconds_total{%s}[5m])' % sel },
          // Per namespace rates of the TcpExt counters the dashboards rank by and the SYN alerts read.
          { record: 'listenq:listen_overflows:rate5m', expr: 'rate(listenq_listen_overflows_total{%s}[5m])' % sel },
          { record: 'listenq:syn_queue_drops:rate5m', expr: 'rate(listenq_syn_queue_drops_total{%s}[5m])' % sel },
          { record: 'listenq:syncookies_sent:rate5m', expr: 'rate(listenq_syncookies_sent_total{%s}[5m])' % sel },
        ],
      },
    ],
  },
}
