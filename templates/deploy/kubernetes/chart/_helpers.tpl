{{/* The objects' name: the release's, with the chart's added unless the release already carries it. */}}
{{- define "chart.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The release's objects. */}}
{{- define "chart.instanceLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* What the Service, the PodDisruptionBudget and the NetworkPolicy select the Deployment's pods by, and
     no Job's pod; never changes between upgrades (a Deployment's selector cannot). */}}
{{- define "chart.selectorLabels" -}}
{{ include "chart.instanceLabels" . }}
app.kubernetes.io/component: app
{{- end -}}

{{- define "chart.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "chart.instanceLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* An image by digest when one is given (what was scanned and signed is what runs), else by tag. */}}
{{- define "chart.image" -}}
{{- if .digest -}}
{{ .repository }}@{{ .digest }}
{{- else -}}
{{ .repository }}:{{ .tag }}
{{- end -}}
{{- end -}}

{{/* The pod as the image expects to run: its user (uid and gid 10001), no service account token. */}}
{{- define "chart.podSpec" -}}
automountServiceAccountToken: false
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Every container: read-only root (the writable /tmp is an emptyDir), no privilege to gain, no capability. */}}
{{- define "chart.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* The settings the service's containers read: the ConfigMap, and the Secret the release names. */}}
{{- define "chart.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "chart.fullname" . }}
{{- with .Values.secretName }}
  - secretRef:
      name: {{ . }}
{{- end }}
{{- end -}}

{{/* The same settings for a hook Job, which runs before the release's ConfigMap exists: the values
     themselves, and the Secret (created before the release). */}}
{{- define "chart.hookEnv" -}}
env:
{{- range $name, $value := .Values.config }}
  - name: {{ $name }}
    value: {{ $value | toString | quote }}
{{- end }}
{{- with .Values.secretName }}
envFrom:
  - secretRef:
      name: {{ . }}
{{- end }}
{{- end -}}
