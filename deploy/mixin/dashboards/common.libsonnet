// Building blocks shared by overview.libsonnet and listener.libsonnet: plain jsonnet objects in the
// dashboard JSON model that grafana/check validates (no grafonnet), and the PromQL joins that turn
// namespace inodes into names and listeners into owners.
//
// Joins, and why they look like this:
// - Per-namespace and per-listener series are joined with listenq_netns_info on
//   (cluster, job, instance, netns): an inode is only unique per host (every host's initial
//   namespace has the same one), so never on netns alone.
// - `topk by (...) (1, info)` keeps one info series per key, so a join never fails with "many-to-many"
//   (listenq_listener_info can carry several cgroups for one SO_REUSEPORT group; listenq_netns_info
//   changes its pid label when the lowest process restarts).
// - Every join has an `or on (...)` fallback built from the joined expression itself: when the info
//   metric is absent (an exporter without listenq_listener_info, a namespace whose info was not read),
//   the panel still shows the series, with the inode as its name and no owner.
{
  // Defaults for the keys the dashboards read; mixin config.libsonnet overrides them.
  defaults:: {
    listenqSelector: 'job="listenq-exporter"',
    clusterLabel: 'cluster',
    showMultiCluster: false,
    dashboardTags: ['listenq', 'tcp', 'linux'],
    dashboardRefresh: '30s',
    dashboardPeriod: 'now-3h',
  },

  datasource:: { type: 'prometheus', uid: '${datasource}' },

  // The labels that identify one exporter's namespace, and one listener in it.
  nsKey(c):: '%s, job, instance, netns' % c.clusterLabel,
  listenerKey(c):: self.nsKey(c) + ', family, address, port',

  // Adds the labels ns (a display name), name, comm, pod_uid and container_id of the namespace to each
  // series of `expr`. ns is the ip-netns name ("host" for the initial namespace) when there is one, else
  // "<comm>/<inode>", else "netns <inode>".
  withNames(c, sel, expr)::
    local key = self.nsKey(c);
    |||
      (%(expr)s)
      * on (%(key)s) group_left (ns, name, comm, pod_uid, container_id) (
        label_replace(label_replace(label_join(topk by (%(key)s) (1, listenq_netns_info{%(sel)s}), "ns", "/", "comm", "netns"), "ns", "netns $1", "ns", "/(.*)"), "ns", "$1", "name", "(.+)")
        or on (%(key)s) label_replace(group by (%(key)s) (%(expr)s), "ns", "netns $1", "netns", "(.*)")
      )
    ||| % { expr: std.stripChars(expr, '\n'), key: key, sel: sel },

  // Adds the label owner from listenq_listener_info: the container (first 12 hex digits of its id) when
  // there is one, else the systemd unit, else the cgroup path. Without listener_info no owner label.
  withOwner(c, sel, expr)::
    local key = self.listenerKey(c);
    |||
      (%(expr)s)
      * on (%(key)s) group_left (owner) (
        label_replace(label_replace(label_replace(topk by (%(key)s) (1, listenq_listener_info{%(sel)s}), "owner", "$1", "cgroup", "(.+)"), "owner", "$1", "unit", "(.+)"), "owner", "container $1", "container_id", "(.{12}).*")
        or on (%(key)s) group by (%(key)s) (%(expr)s)
      )
    ||| % { expr: std.stripChars(expr, '\n'), key: key, sel: sel },

  // Both joins: what every per-listener table and legend uses.
  named(c, sel, expr):: self.withNames(c, sel, self.withOwner(c, sel, expr)),

  target(expr, legend='__auto', ref='A', table=false, instant=false):: {
    expr: std.stripChars(expr, '\n'),
    legendFormat: legend,
    refId: ref,
    datasource: $.datasource,
  } + (if table || instant then { format: if table then 'table' else 'time_series', instant: true, range: false } else {}),

  panel(type, title, description, gridPos, targets):: {
    type: type,
    title: title,
    description: description,
    datasource: $.datasource,
    gridPos: gridPos,
    targets: targets,
    fieldConfig: { defaults: {}, overrides: [] },
  },

  row(title, y):: { type: 'row', title: title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y }, panels: [] },

  grid(x, y, w, h):: { x: x, y: y, w: w, h: h },

  thresholds(steps):: {
    mode: 'absolute',
    steps: [{ color: 'green', value: null }] + [{ color: s[0], value: s[1] } for s in steps],
  },

  stat(title, description, gridPos, expr, legend, unit=null, steps=[])::
    self.panel('stat', title, description, gridPos, [self.target(expr, legend, instant=true)]) {
      fieldConfig+: { defaults+: { [if unit != null then 'unit']: unit, [if steps != [] then 'thresholds']: $.thresholds(steps) } },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
      },
    },

  timeseries(title, description, gridPos, targets, unit='short', max=null)::
    self.panel('timeseries', title, description, gridPos, targets) {
      fieldConfig+: { defaults+: { unit: unit, [if max != null then 'max']: max } },
      options: {
        legend: { displayMode: 'table', placement: 'right', calcs: ['max', 'lastNotNull'], showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },

  // The listener dashboard for one row of a table (fields named after labels) or one series of a graph.
  listenerLink(fromTable):: {
    local f(label) = if fromTable then '${__data.fields.%s}' % label else '${__field.labels.%s}' % label,
    title: 'Listener dashboard',
    url: '/d/listenq-listener?${__url_time_range}&${datasource:queryparam}&${cluster:queryparam}'
         + '&var-job=%s&var-instance=%s&var-netns=%s&var-listener=%s&var-port=%s'
           % [f('job'), f('instance'), f('netns'), f('address'), f('port')],
  },

  // Drops the columns nobody reads and names the value column. The labels the data links pass on stay in
  // the frame (links read the transformed row); netns is only hidden, since the ns column names it.
  tableTransform(valueName):: [
    {
      id: 'organize',
      options: {
        excludeByName: { Time: true, __name__: true, name: true, comm: true },
        indexByName: { ns: 0, owner: 1, family: 2, address: 3, port: 4, [valueName]: 5 },
        renameByName: { Value: valueName },
      },
    },
    { id: 'sortBy', options: { sort: [{ field: valueName, desc: true }] } },
  ],
  hiddenColumn(name):: { matcher: { id: 'byName', options: name }, properties: [{ id: 'custom.hidden', value: true }] },

  // A query variable; multi-value ones offer "All" as the regex .*.
  queryVar(name, label, q, multi=false, hide=0):: {
    name: name,
    label: label,
    type: 'query',
    datasource: $.datasource,
    query: q,
    refresh: 2,
    sort: 1,
    hide: hide,
    multi: multi,
    includeAll: multi,
    [if multi then 'allValue']: '.*',
  },

  // datasource, cluster (hidden unless showMultiCluster) and job, then the dashboard's own variables.
  variables(c, extra):: {
    list: [
      { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', refresh: 1, hide: 0 },
      $.queryVar('cluster', 'Cluster', 'label_values(listenq_build_info{%s}, %s)' % [c.listenqSelector, c.clusterLabel],
                 multi=true, hide=if c.showMultiCluster then 0 else 2),
      $.queryVar('job', 'Job', 'label_values(listenq_build_info{%s=~"$cluster",%s}, job)' % [c.clusterLabel, c.listenqSelector],
                 multi=true),
    ] + extra,
  },

  // Firing and pending listenq alerts as annotations, with the names and owners the panels show.
  alertAnnotations(c, sel):: {
    list: [{
      name: 'listenq alerts',
      datasource: $.datasource,
      enable: true,
      iconColor: 'red',
      expr: std.stripChars($.named(c, sel, 'ALERTS{%s, alertname=~"Listenq.*", alertstate="firing"}' % sel), '\n'),
      step: '1m',
      titleFormat: '{{alertname}} ({{severity}})',
      textFormat: '{{ns}} {{address}} {{port}} {{owner}}',
      tagKeys: 'alertname,severity',
      useValueForTime: false,
    }],
  },

  dashboard(c, uid, title, description, panels, vars, links):: {
    uid: uid,
    title: title,
    description: description,
    tags: c.dashboardTags,
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    time: { from: c.dashboardPeriod, to: 'now' },
    refresh: c.dashboardRefresh,
    templating: vars,
    annotations: $.alertAnnotations(c, '%s=~"$cluster",job=~"$job",instance=~"$instance"' % c.clusterLabel),
    links: links,
    // Panel ids in order of appearance, so a new panel never collides with an old id.
    panels: [panels[i] { id: i + 1 } for i in std.range(0, std.length(panels) - 1)],
  },
}
