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

{{/* What the migration Job runs: Django's migrate. */}}
{{- define "app.migrateCommand" -}}
["python", "manage.py", "migrate", "--noinput"]
{{- end -}}
