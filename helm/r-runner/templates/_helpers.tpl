{{/* Names, labels and the small computed values every template shares. */}}

{{- define "r-runner.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; components append -gateway, -worker, -redis (so at most 54 characters here). */}}
{{- define "r-runner.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "r-runner.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of one component. Call with (dict "ctx" $ "component" "gateway"). */}}
{{- define "r-runner.selectorLabels" -}}
app.kubernetes.io/name: {{ include "r-runner.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* All labels of one component. Call with (dict "ctx" $ "component" "gateway"). */}}
{{- define "r-runner.labels" -}}
helm.sh/chart: {{ include "r-runner.chart" .ctx }}
{{ include "r-runner.selectorLabels" . }}
app.kubernetes.io/part-of: r-runner
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end }}

{{/* An r-runner image: [<image.registry>/]<name>:<tag>. Call with (dict "ctx" $ "name" "r-runner-gateway" "tag" ""). */}}
{{- define "r-runner.image" -}}
{{- $v := .ctx.Values.image }}
{{- $tag := .tag | default $v.tag | default .ctx.Chart.AppVersion }}
{{- if $v.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $v.registry) .name $tag }}
{{- else }}
{{- printf "%s:%s" .name $tag }}
{{- end }}
{{- end }}

{{/* RUNNER_SCRIPT_IMAGE */}}
{{- define "r-runner.scriptImage" -}}
{{- .Values.worker.scriptImage | default (include "r-runner.image" (dict "ctx" . "name" "r-runner-r-base")) }}
{{- end }}

{{/* RUNNER_FULL_IMAGE */}}
{{- define "r-runner.fullImage" -}}
{{- .Values.worker.fullImage | default (include "r-runner.image" (dict "ctx" . "name" "r-runner-r-full")) }}
{{- end }}

{{/* The names in config.RUNNER_ENVIRONMENTS, as a JSON list (Spring trims each name of a comma list too). */}}
{{- define "r-runner.servedEnvironments" -}}
{{- $names := list }}
{{- range splitList "," (toString .Values.config.RUNNER_ENVIRONMENTS) }}
{{- $names = append $names (trim .) }}
{{- end }}
{{- toJson $names }}
{{- end }}

{{/*
The image of every served environment, space separated, each once: a definition in .Values.environments that
names an image wins, as in the apps (the environments file overrides the shipped definitions key by key).
*/}}
{{- define "r-runner.servedImages" -}}
{{- $ := . }}
{{- $images := list }}
{{- range $name := include "r-runner.servedEnvironments" . | fromJsonArray }}
{{- $own := get $.Values.environments $name | default dict }}
{{- if $own.image }}
{{- $images = append $images $own.image }}
{{- else if eq $name "r-base" }}
{{- $images = append $images (include "r-runner.scriptImage" $) }}
{{- else if eq $name "r-full" }}
{{- $images = append $images (include "r-runner.fullImage" $) }}
{{- end }}
{{- end }}
{{- $images | uniq | join " " }}
{{- end }}

{{/* Where gateway and worker read the environments ConfigMap: RUNNER_ENVIRONMENTS_FILE's default. */}}
{{- define "r-runner.environmentsDir" -}}
/etc/rrunner
{{- end }}

{{/* The mount of that ConfigMap, when environments are given. */}}
{{- define "r-runner.environmentsVolumeMount" -}}
{{- if .Values.environments }}
- name: environments
  mountPath: {{ include "r-runner.environmentsDir" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/* The volume of that ConfigMap, when environments are given. */}}
{{- define "r-runner.environmentsVolume" -}}
{{- if .Values.environments }}
- name: environments
  configMap:
    name: {{ include "r-runner.fullname" . }}-environments
{{- end }}
{{- end }}

{{- define "r-runner.externalRedis" -}}
{{- if or .Values.redis.external.url .Values.redis.external.existingSecret }}true{{ end }}
{{- end }}

{{- define "r-runner.redisHost" -}}
{{ include "r-runner.fullname" . }}-redis
{{- end }}

{{/* Name of the Secret holding RUNNER_TOKEN. */}}
{{- define "r-runner.tokenSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-auth" (include "r-runner.fullname" .)) }}
{{- end }}

{{/* Name of the Secret holding REDIS_URL of an external Redis. */}}
{{- define "r-runner.redisSecretName" -}}
{{- .Values.redis.external.existingSecret | default (printf "%s-redis-url" (include "r-runner.fullname" .)) }}
{{- end }}

{{/* REDIS_URL as an env entry: from the external-Redis Secret, else the chart's Redis Service. */}}
{{- define "r-runner.redisUrlEnv" -}}
- name: REDIS_URL
{{- if include "r-runner.externalRedis" . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "r-runner.redisSecretName" . }}
      key: {{ .Values.redis.external.existingSecretKey }}
{{- else }}
  value: {{ printf "redis://%s:6379" (include "r-runner.redisHost" .) | quote }}
{{- end }}
{{- end }}

{{/* Where gateway and worker find the CA of an external TLS Redis (redis.external.caSecret). */}}
{{- define "r-runner.redisCaDir" -}}
/etc/r-runner/redis-ca
{{- end }}

{{/* REDIS_TLS_CA_FILE as an env entry, when redis.external.caSecret is set. */}}
{{- define "r-runner.redisCaEnv" -}}
{{- if .Values.redis.external.caSecret }}
- name: REDIS_TLS_CA_FILE
  value: {{ printf "%s/%s" (include "r-runner.redisCaDir" .) .Values.redis.external.caSecretKey | quote }}
{{- end }}
{{- end }}

{{/* The volume mount of that CA, when set. */}}
{{- define "r-runner.redisCaVolumeMount" -}}
{{- if .Values.redis.external.caSecret }}
- name: redis-ca
  mountPath: {{ include "r-runner.redisCaDir" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/* The volume of that CA, when set: only its one key. */}}
{{- define "r-runner.redisCaVolume" -}}
{{- if .Values.redis.external.caSecret }}
- name: redis-ca
  secret:
    secretName: {{ .Values.redis.external.caSecret }}
    items:
      - key: {{ .Values.redis.external.caSecretKey }}
        path: {{ .Values.redis.external.caSecretKey }}
{{- end }}
{{- end }}

{{/* host:port of Redis as KEDA's operator (in its own namespace) reaches it. */}}
{{- define "r-runner.kedaRedisAddress" -}}
{{- $k := .Values.worker.autoscaling.keda }}
{{- if $k.address }}
{{- $k.address }}
{{- else if .Values.redis.external.url }}
{{- $u := urlParse .Values.redis.external.url }}
{{- if contains ":" $u.host }}{{ $u.host }}{{ else }}{{ $u.host }}:6379{{ end }}
{{- else if .Values.redis.external.existingSecret }}
{{- fail "worker.autoscaling.keda.address is required when REDIS_URL comes from redis.external.existingSecret" }}
{{- else }}
{{- printf "%s.%s.svc:6379" (include "r-runner.redisHost" .) .Release.Namespace }}
{{- end }}
{{- end }}

{{/* NetworkPolicy egress rules to DNS and Redis. Call with (dict "ctx" $). */}}
{{- define "r-runner.netpol.egressRedisAndDns" -}}
{{- $ := .ctx }}
# DNS, wherever the cluster runs it.
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- if include "r-runner.externalRedis" $ }}
- to:
    - ipBlock:
        cidr: {{ $.Values.networkPolicy.externalRedis.cidr }}
  ports:
    - port: {{ $.Values.networkPolicy.externalRedis.port }}
      protocol: TCP
{{- else }}
- to:
    - podSelector:
        matchLabels:
          {{- include "r-runner.selectorLabels" (dict "ctx" $ "component" "redis") | nindent 10 }}
  ports:
    - port: 6379
      protocol: TCP
{{- end }}
{{- end }}

{{/* Checks run by every template that depends on them. */}}
{{- define "r-runner.validate" -}}
{{- if not (has .Values.worker.docker.mode (list "dind" "hostSocket")) }}
{{- fail (printf "worker.docker.mode must be dind or hostSocket, not %q" .Values.worker.docker.mode) }}
{{- end }}
{{- $served := include "r-runner.servedEnvironments" . | fromJsonArray }}
{{- range $served }}
{{- if not (or (has . (list "r-base" "r-full")) (hasKey $.Values.environments .)) }}
{{- fail (printf "config.RUNNER_ENVIRONMENTS names %q, which neither ships (r-base, r-full) nor is defined in environments" .) }}
{{- end }}
{{- end }}
{{- range $name, $definition := .Values.environments }}
{{- if not (regexMatch "^[a-z0-9][a-z0-9._-]{0,62}$" $name) }}
{{- fail (printf "environments.%s: an environment's name must match [a-z0-9][a-z0-9._-]{0,62}" $name) }}
{{- end }}
{{- if and (not (has $name (list "r-base" "r-full"))) (not (and (kindIs "map" $definition) $definition.image)) }}
{{- fail (printf "environments.%s needs an image" $name) }}
{{- end }}
{{- end }}
{{- if not (has (toString .Values.config.RUNNER_DEFAULT_ENVIRONMENT) $served) }}
{{- fail (printf "config.RUNNER_DEFAULT_ENVIRONMENT is %q, which config.RUNNER_ENVIRONMENTS does not list" (toString .Values.config.RUNNER_DEFAULT_ENVIRONMENT)) }}
{{- end }}
{{- $ext := .Values.redis.external }}
{{- if and $ext.caSecret (not (include "r-runner.externalRedis" .)) }}
{{- fail "redis.external.caSecret is for an external TLS Redis: set redis.external.url (rediss://...) or redis.external.existingSecret" }}
{{- end }}
{{- if and $ext.caSecret $ext.url (not (hasPrefix "rediss://" $ext.url)) }}
{{- fail "redis.external.caSecret needs TLS: write redis.external.url as rediss://..." }}
{{- end }}
{{- end }}
