// What deploy/mixin/render.sh writes: the text of each rendered file.
local mixin = import 'mixin.libsonnet';
local yaml(v) = std.manifestYamlDoc(v, indent_array_in_object=true, quote_keys=false);
local groups = mixin.prometheusRules.groups + mixin.prometheusAlerts.groups;
local generated = '# Generated from deploy/mixin/ by deploy/mixin/render.sh: edit the mixin, not this file.\n';

{
  rules: generated + |||
    # Validate with:  promtool check rules deploy/prometheus/listenq.rules.yml
    # Unit tests:     promtool test rules deploy/prometheus/tests/*.yml
    # Runbook:        docs/runbook.md (each alert's runbook_url points at its section there).
  ||| + yaml({ groups: groups }),

  prometheusRule: generated + |||
    # The same rules as deploy/prometheus/listenq.rules.yml, for the Prometheus Operator.
  ||| + yaml({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: mixin._config.prometheusRuleName,
      labels: mixin._config.prometheusRuleLabels,
    },
    spec: { groups: groups },
  }),

  dashboardNames: std.join('\n', std.objectFields(mixin.grafanaDashboards)),
  dashboard(name): mixin.grafanaDashboards[name],
}
