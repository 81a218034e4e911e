// Alert annotation snippets (Go templates, evaluated by Prometheus when an alert fires).
//
// The namespace's name and a listener's owner are looked up with the `query` template function
// instead of being joined into the alert's labels: listenq_netns_info carries a pid, which changes
// when the process restarts, and a changing label set would resolve and re-fire the alert. A lookup
// that finds nothing prints nothing, so the alerts work without listenq_netns_info or
// listenq_listener_info. %q quotes label values the way PromQL reads them (unix socket paths may
// hold quotes and backslashes). Namespace inodes are unique per host only, so every lookup also
// matches the instance.
{
  // 10.0.0.1:8080, [::1]:443, or a unix socket path.
  listener: '{{ if eq $labels.family "ipv6" }}[{{ $labels.address }}]{{ else }}{{ $labels.address }}{{ end }}{{ if $labels.port }}:{{ $labels.port }}{{ end }}',

  local netnsInfo = '{{ with printf "listenq_netns_info{netns=%q,instance=%q}" $labels.netns $labels.instance | query }}{{ with . | first }}',

  // " (web)": the namespace's name only, for summaries.
  netnsName: netnsInfo + ' ({{ .Labels.name }}){{ end }}{{ end }}',

  // " (web, nginx, pod 0f0e-11)": name, process and pod, for descriptions.
  netnsDetail: netnsInfo + ' ({{ .Labels.name }}{{ with .Labels.comm }}, {{ . }}{{ end }}{{ with .Labels.pod_uid }}, pod {{ . }}{{ end }}){{ end }}{{ end }}',

  // ", owned by container 3f2a9c0b1d2e (pod 0f0e-11)" / ", owned by nginx.service" / ", owned by cgroup /x":
  // from listenq_listener_info where the exporter knows the listener's owner; the container (its id
  // cut to 12 hex digits, as the dashboards show it) before the systemd unit before the cgroup.
  owner: '{{ with printf "listenq_listener_info{netns=%q,family=%q,address=%q,port=%q,instance=%q}" $labels.netns $labels.family $labels.address $labels.port $labels.instance | query }}{{ with . | first }}{{ if .Labels.container_id }}, owned by container {{ reReplaceAll "^(.{12}).+$" "$1" .Labels.container_id }}{{ else if .Labels.unit }}, owned by {{ .Labels.unit }}{{ else if .Labels.cgroup }}, owned by cgroup {{ .Labels.cgroup }}{{ end }}{{ with .Labels.pod_uid }} (pod {{ . }}){{ end }}{{ end }}{{ end }}',

  // " [listenq drill canary]" when the listener is on the drill's documented port: on-call sees at once
  // that `listenq-exporter drill` is testing the alert path.
  drill(port): '{{ if eq $labels.port "%s" }} [listenq drill canary]{{ end }}' % port,
}
