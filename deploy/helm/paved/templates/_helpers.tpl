{{/* The chart name, overridable. */}}
{{- define "paved.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object's name: <release>-paved, or the release name when it says paved. */}}
{{- define "paved.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "paved.selectorLabels" -}}
app.kubernetes.io/name: {{ include "paved.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "paved.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "paved.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "paved.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "paved.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the backend's environment comes from. */}}
{{- define "paved.secretName" -}}
{{- default (include "paved.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/* The CloudNativePG Cluster's name; its operator makes <name>-rw (Service) and <name>-app (Secret). */}}
{{- define "paved.cnpgName" -}}
{{- printf "%s-postgres" (include "paved.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{- define "paved.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Where the chart's app-config overlay is mounted. */}}
{{- define "paved.configPath" -}}
/app/config/app-config.kubernetes.yaml
{{- end }}

{{/* Cluster-scoped names carry the namespace: two releases of one name in two namespaces must not collide. */}}
{{- define "paved.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "paved.fullname" .) }}
{{- end }}
