// The pieces deploy/mixin/render.sh assembles into the rendered files (`jsonnet -S -m`: one file
// per field, each ending with the newline jsonnet adds). The rule groups are manifested once:
// std.manifestYamlDoc is slow on long strings, and the PrometheusRule's spec is the same text
// indented by render.sh.
local mixin = import 'mixin.libsonnet';
local yaml(v) = std.manifestYamlDoc(v, indent_array_in_object=true, quote_keys=false);
local generated = '# Generated from deploy/mixin/ by deploy/mixin/render.sh: edit the mixin, not this file.\n';

{
  'rules-header.yml': generated + std.rstripChars(|||
    # Validate with:  promtool check rules deploy/prometheus/listenq.rules.yml
    # Unit tests:     promtool test rules deploy/prometheus/tests/*.yml
    # Runbook:        docs/runbook.md (each alert's runbook_url points at its section there).
  |||, '\n'),

  'groups.yml': yaml({ groups: mixin.prometheusRules.groups + mixin.prometheusAlerts.groups }),

  'prometheusrule-header.yml': generated + |||
    # The same rules as deploy/prometheus/listenq.rules.yml, for the Prometheus Operator.
  ||| + yaml({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: mixin._config.prometheusRuleName,
      labels: mixin._config.prometheusRuleLabels,
    },
  }) + '\nspec:',

  'dashboards.txt': std.join('\n', std.objectFields(mixin.grafanaDashboards)),
}
