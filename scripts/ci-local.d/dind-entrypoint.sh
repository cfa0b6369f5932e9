#!/bin/sh
# As upstream's docker:dind: with DOCKER_TLS_CERTDIR set, make a CA, a server and a client certificate
# there and listen on 2376 with TLS verification, else on 2375 without. Two additions for this machine:
# base images come through scripts/ci-local's registry (Docker Hub's mirror here), and the containers
# this engine starts resolve names through this container's resolver (see below).
set -eu
certs="${DOCKER_TLS_CERTDIR:-}"
if [ -n "$certs" ]; then
  mkdir -p "$certs/ca" "$certs/server" "$certs/client"
  if [ ! -s "$certs/ca/key.pem" ]; then
    openssl genrsa -out "$certs/ca/key.pem" 4096 2>/dev/null
    openssl req -new -x509 -days 825 -sha256 -subj /CN=docker:dind-CA -key "$certs/ca/key.pem" -out "$certs/ca/cert.pem"
  fi
  issue() {  # issue NAME EXTENSIONS: a key and a certificate signed by the CA, with the CA beside them
    openssl genrsa -out "$certs/$1/key.pem" 4096 2>/dev/null
    openssl req -new -sha256 -subj "/CN=docker:dind-$1" -key "$certs/$1/key.pem" -out "$certs/$1/csr.pem"
    printf '%s\n' "$2" > "$certs/$1/openssl.cnf"
    openssl x509 -req -days 825 -sha256 -in "$certs/$1/csr.pem" -CA "$certs/ca/cert.pem" -CAkey "$certs/ca/key.pem" \
      -CAcreateserial -extfile "$certs/$1/openssl.cnf" -out "$certs/$1/cert.pem" 2>/dev/null
    cp "$certs/ca/cert.pem" "$certs/$1/ca.pem"
    chmod 0644 "$certs/$1/cert.pem" "$certs/$1/ca.pem" "$certs/$1/key.pem"
  }
  names="DNS:docker,DNS:localhost,DNS:$(hostname),IP:127.0.0.1"
  for address in $(hostname -i); do names="$names,IP:$address"; done
  issue server "extendedKeyUsage = serverAuth
subjectAltName = $names"
  issue client "extendedKeyUsage = clientAuth"
  set -- --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify \
    --tlscacert "$certs/server/ca.pem" --tlscert "$certs/server/cert.pem" --tlskey "$certs/server/key.pem" "$@"
else
  set -- --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 "$@"
fi
# On a user-defined network (gitlab-ci-local's, one per job) this container resolves through Docker's
# embedded resolver at 127.0.0.11, which the containers of the engine inside cannot reach: dockerd would
# give them public resolvers instead, unreachable here. A forwarder on this container's own address
# answers for them, with the names of the job's network (the registry) and of the world.
if grep -q '^nameserver 127.0.0.11' /etc/resolv.conf; then
  address=$(hostname -i | cut -d ' ' -f 1)
  dnsmasq --no-resolv --server=127.0.0.11 --listen-address="$address" --bind-interfaces --user=root
  set -- --dns "$address" "$@"
fi
mirror=stagecraft-ci-local-registry:5000
exec dockerd --registry-mirror "http://$mirror" --insecure-registry "$mirror" "$@"
