{{/* The HTTP probes on the app's port: liveness while the process can serve, readiness while what it
     depends on answers too; the startup probe gives a slow start time before liveness counts. */}}
{{- define "app.probes" -}}
startupProbe:
  httpGet:
    path: /health
    port: http
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /health
    port: http
  periodSeconds: 10
  timeoutSeconds: 2
readinessProbe:
  httpGet:
    path: /ready
    port: http
  periodSeconds: 5
  timeoutSeconds: 2
{{- end -}}

{{/* The training Job's spec, once or on a schedule: the training image, writing to the model claim. */}}
{{- define "app.trainingJob" -}}
backoffLimit: 1
activeDeadlineSeconds: {{ .Values.training.activeDeadlineSeconds }}
template:
  metadata:
    labels:
      {{- include "chart.instanceLabels" . | nindent 6 }}
      app.kubernetes.io/component: training
  spec:
    {{- include "chart.podSpec" . | nindent 4 }}
    restartPolicy: Never
    containers:
      - name: training
        image: {{ include "chart.image" (dict "repository" .Values.training.image.repository "tag" (.Values.training.image.tag | default .Chart.AppVersion) "digest" .Values.training.image.digest) }}
        imagePullPolicy: {{ .Values.image.pullPolicy }}
        command: {{ toJson .Values.training.command }}
        {{- include "chart.containerSecurityContext" . | nindent 8 }}
        resources:
          {{- toYaml .Values.resources | nindent 10 }}
        volumeMounts:
          - name: tmp
            mountPath: /tmp
          - name: models
            mountPath: /models
    volumes:
      - name: tmp
        emptyDir:
          medium: Memory
          sizeLimit: 64Mi
      - name: models
        persistentVolumeClaim:
          claimName: {{ .Values.training.modelClaim }}
{{- end -}}
