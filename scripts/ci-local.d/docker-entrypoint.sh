#!/bin/sh
# As upstream's docker image: with no DOCKER_HOST, talk to the job's `docker` service, over TLS when the
# service's client certificates are in $DOCKER_TLS_CERTDIR/client (GitLab shares that folder with it).
set -eu
client="${DOCKER_TLS_CERTDIR:-}/client"
tls() { [ -n "${DOCKER_TLS_CERTDIR:-}" ] && [ -s "$client/ca.pem" ] && [ -s "$client/cert.pem" ] && [ -s "$client/key.pem" ]; }
if [ -z "${DOCKER_HOST:-}" ]; then
  if [ -S /var/run/docker.sock ]; then
    export DOCKER_HOST=unix:///var/run/docker.sock
  elif tls || [ -n "${DOCKER_TLS_VERIFY:-}" ]; then
    export DOCKER_HOST=tcp://docker:2376
  else
    export DOCKER_HOST=tcp://docker:2375
  fi
fi
case "$DOCKER_HOST" in
  tcp:*) if [ -z "${DOCKER_TLS_VERIFY:-}" ] && [ -z "${DOCKER_CERT_PATH:-}" ] && tls; then
           export DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$client"
         fi ;;
esac
exec "$@"
