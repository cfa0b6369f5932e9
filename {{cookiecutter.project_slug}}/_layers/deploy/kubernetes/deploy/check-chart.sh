#!/bin/sh
{% import "deploy/kubernetes/tools.jinja" as tools %}
{% import "deploy/kubernetes/release.jinja" as release with context %}
# Checks the Helm chart as CI does (`make chart-check`): lint it and render it with its defaults and with
# each chart/ci/*-values.yaml, validate every rendered object against the oldest and the newest Kubernetes
# the chart supports, and scan them for policy findings (checkov.yaml waives the ones that do not apply,
# saying why). Needs helm {{ tools.helm_version }}, kubernetes-validate {{ tools.kubernetes_validate_version }} and checkov {{ tools.checkov_version }} on PATH;
# writes what it renders to the folder given (default build/chart).
set -eu
deploy=$(dirname "$0")
out=${1:-build/chart}
rm -rf "$out"
mkdir -p "$out"
render() {
  helm lint --strict "$deploy/chart" "$@" >&2
  helm template {{ release.name }} "$deploy/chart" --namespace {{ cookiecutter.project_slug }} "$@"
}
render > "$out/default.yaml"
for values in "$deploy"/chart/ci/*-values.yaml; do
  render --values "$values" > "$out/$(basename "$values" -values.yaml).yaml"
done
for version in {{ tools.kubernetes_oldest }} {{ tools.kubernetes_newest }}; do
  kubernetes-validate --strict --quiet --kubernetes-version "$version" "$out"/*.yaml
done
checkov --config-file "$deploy/checkov.yaml" --directory "$out"
