{{/*
The chart's template language is the small part of Helm's that README.md lists under "Template language";
test/helm/chart-docs.test.ts fails on any other function or keyword.
*/}}

{{/* The release's name, cut to leave room for suffixes (<name>-orchestrator-worker is 63 at most). */}}
{{- define "notary-node.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Unit names are <prefix>ltc, <prefix>kmd, <prefix>iguana (as `nnctl up`). */}}
{{- define "notary-node.unitPrefix" -}}
{{- printf "%s-" (include "notary-node.fullname" .) -}}
{{- end -}}

{{- define "notary-node.labels" -}}
app.kubernetes.io/name: notary-node
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{- define "notary-node.selectorLabels" -}}
app.kubernetes.io/name: notary-node
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end -}}

{{/* An image reference with the registry prefix. Arguments: (list $ "repo:tag"). */}}
{{- define "notary-node.image" -}}
{{- printf "%s%s" (index . 0).Values.imageRegistry (index . 1) -}}
{{- end -}}

{{/* The network's layout (networks/<name>.yaml): its real daemons, or the stand-ins. YAML; fromYaml it. */}}
{{- define "notary-node.layout" -}}
{{- $file := .Files.Get (printf "networks/%s.yaml" .Values.network) -}}
{{- if not $file -}}{{- fail (printf "network: %q has no networks/%s.yaml in the chart" .Values.network .Values.network) -}}{{- end -}}
{{- $all := fromYaml $file -}}
{{- toYaml (ternary $all.standIns $all.real .Values.standIns) -}}
{{- end -}}

{{/* The chart's public devnet key (notary-node README): only where the network lets the node make its key. */}}
{{- define "notary-node.devnetKey" -}}
pubkey: 029990370c7832425b27c524c6a687188c8ce5de304e756210bd32a602da3c482c
passphrase: "notary-node chart devnet key - public, never for value"
wif: UvjW3HMZBzzaRS3KZgFo9Lfhi5UsEPYbvzCfjqcQMYbHKUCVUQ6F
{{- end -}}

{{/* The notary pubkey: the operator's, or the devnet key's where allowed. */}}
{{- define "notary-node.pubkey" -}}
{{- $layout := fromYaml (include "notary-node.layout" .) -}}
{{- if .Values.notary.pubkey -}}
{{- if not .Values.notary.existingSecret -}}{{- fail "notary.existingSecret: a Secret with the passphrase and wif of notary.pubkey is required with notary.pubkey" -}}{{- end -}}
{{- .Values.notary.pubkey -}}
{{- else if $layout.operatorKey -}}
{{- fail (printf "notary.pubkey: the %s network runs on the operator's notary key: set notary.pubkey and notary.existingSecret" .Values.network) -}}
{{- else -}}
{{- (fromYaml (include "notary-node.devnetKey" .)).pubkey -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding `passphrase` and `wif`. */}}
{{- define "notary-node.notarySecret" -}}
{{- if .Values.notary.existingSecret -}}{{ .Values.notary.existingSecret }}{{- else -}}{{ include "notary-node.fullname" . }}-devnet-key{{- end -}}
{{- end -}}

{{- define "notary-node.nodeSecretName" -}}
{{- .Values.nodeSecret.existingSecret | default (printf "%s-node" (include "notary-node.fullname" .)) -}}
{{- end -}}

{{/*
The node's generated secrets, made once per render and kept in .Values (templates render in one pass
over one values map, so every template sees the same ones), read back from the live Secret on upgrade.
*/}}
{{- define "notary-node.secrets" -}}
{{- if not (hasKey .Values "__nnSecrets") -}}
{{- $keys := list "ltc-rpcpassword" "ltc-viewer" "ltc-operator" "kmd-rpcpassword" "kmd-viewer" "kmd-operator" "iguana-viewer" "iguana-operator" "api-viewer" "api-operator" -}}
{{- $live := lookup "v1" "Secret" .Release.Namespace (include "notary-node.nodeSecretName" .) -}}
{{- $liveData := (get (default dict $live) "data") | default dict -}}
{{- $out := dict -}}
{{- range $keys -}}
{{- if hasKey $liveData . -}}
{{- $_ := set $out . (b64dec (get $liveData .)) -}}
{{- else if $.Values.nodeSecret.existingSecret -}}
{{- fail (printf "nodeSecret.existingSecret: Secret %q has no key %q (or cannot be read)" $.Values.nodeSecret.existingSecret .) -}}
{{- else -}}
{{- $_ := set $out . (randAlphaNum 48) -}}
{{- end -}}
{{- end -}}
{{- $_ := set .Values "__nnSecrets" $out -}}
{{- end -}}
{{- toYaml (get .Values "__nnSecrets") -}}
{{- end -}}

{{/* A unit file's text with its markers filled. Arguments: (list $ "text"). */}}
{{- define "notary-node.fill" -}}
{{- $ := index . 0 -}}
{{- $text := index . 1 -}}
{{- $text = replace "@@PREFIX@@" (include "notary-node.unitPrefix" $) $text -}}
{{- $text = replace "@@PUBKEY@@" (include "notary-node.pubkey" $) $text -}}
{{- range $k, $v := fromYaml (include "notary-node.secrets" $) -}}
{{- $text = replace (printf "@@%s@@" (upper (replace "-" "_" $k))) $v $text -}}
{{- end -}}
{{- if contains "@@" $text -}}{{- fail (printf "a unit file keeps a marker the chart does not fill: %s" $text) -}}{{- end -}}
{{- $text -}}
{{- end -}}

{{/* Labels of the orchestrator's pods (the units' NetworkPolicies admit them). */}}
{{- define "notary-node.orchestratorLabels" -}}
{{ include "notary-node.selectorLabels" . }}
app.kubernetes.io/component: orchestrator
{{- end -}}
