# Stand-ins for the images a generated .gitlab-ci.yml's Docker jobs run on, for machines that reach no
# container registry (this project's): scripts/ci-local builds a target only when the upstream image can
# be neither found nor pulled. Everything comes from Debian trixie's packages; see docs/decisions.md
# ("GitLab pipelines, run locally") for how each differs from the upstream image.

# The shared ground: trixie with the CA certificates the base image stand-ins trust.
FROM debian:trixie-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git \
 && rm -rf /var/lib/apt/lists/*

# docker:29: the docker CLI with its buildx and compose plugins (Debian's 26.1, buildx 0.13, compose 2.26).
FROM base AS docker
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker-cli docker-buildx docker-compose openssh-client \
 && rm -rf /var/lib/apt/lists/*
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["sh"]

# docker:29-dind: Debian's dockerd, with the TLS set-up of upstream's entrypoint; base images come from
# scripts/ci-local's registry, standing in as Docker Hub's mirror.
FROM docker AS dind
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker.io iptables openssl dnsmasq-base procps \
 && rm -rf /var/lib/apt/lists/*
COPY dind-entrypoint.sh /usr/local/bin/dockerd-entrypoint.sh
VOLUME /var/lib/docker
EXPOSE 2375 2376
ENTRYPOINT ["dockerd-entrypoint.sh"]
CMD []

# BuildKit's stand-in, built: Debian's docker.io source package holds BuildKit v0.13 as a component, patched
# by Debian to build against Debian's own Go packages; Debian builds dockerd from it but ships no buildkitd.
FROM debian:trixie-slim AS buildkit-build
ARG DOCKER_IO=26.1.5+dfsg1-9
ARG DOCKER_IO_DSC_SHA256=12726d2cb8ba6e92eb4e2d4833a8838cd07397385b1fb060ff05a8dea9c7645f
WORKDIR /src
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl dpkg-dev; \
    pool=http://deb.debian.org/debian/pool/main/d/docker.io; \
    curl --fail --silent --show-error --remote-name "$pool/docker.io_${DOCKER_IO}.dsc"; \
    echo "$DOCKER_IO_DSC_SHA256  docker.io_${DOCKER_IO}.dsc" | sha256sum -c -; \
    sed -n 's/^ [0-9a-f]\{64\} [0-9]* //p' "docker.io_${DOCKER_IO}.dsc" | sort -u | while read -r file; do \
      curl --fail --silent --show-error --remote-name "$pool/$file"; \
    done; \
    # The .dsc pins every tarball: dpkg-source checks their checksums (plain HTTP then, as apt's).
    dpkg-source --no-check --extract "docker.io_${DOCKER_IO}.dsc" docker.io; \
    apt-get build-dep -y ./docker.io
# The GOPATH layout of the package's debian/rules, then the two commands Debian leaves out.
RUN set -eux; \
    mkdir -p /go/src/github.com/docker /go/src/github.com/moby; \
    cp -a docker.io/engine /go/src/github.com/docker/docker; \
    cp -a docker.io/buildkit /go/src/github.com/moby/buildkit; \
    cd /go/src/github.com/moby/buildkit; \
    export GOPATH=/go:/usr/share/gocode GO111MODULE=off CGO_ENABLED=0; \
    go build -trimpath -o /out/buildkitd ./cmd/buildkitd; \
    go build -trimpath -o /out/buildctl ./cmd/buildctl

# moby/buildkit:buildx-stable-1, which `docker buildx create --driver docker-container` starts: buildkitd
# with runc, configured to pull through scripts/ci-local's registry (buildkitd.toml).
FROM base AS buildkit
RUN apt-get update \
 && apt-get install -y --no-install-recommends runc pigz xz-utils openssh-client \
 && rm -rf /var/lib/apt/lists/*
COPY --from=buildkit-build /out/buildkitd /out/buildctl /usr/bin/
COPY buildkitd.toml /etc/buildkit/buildkitd.toml
VOLUME /var/lib/buildkit
ENTRYPOINT ["buildkitd"]

# The registry scripts/ci-local runs: the jobs' $CI_REGISTRY, and the mirror the stand-ins pull base images from.
FROM base AS registry
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker-registry \
 && rm -rf /var/lib/apt/lists/*
COPY registry.yml /etc/docker/registry/config.yml
EXPOSE 5000
ENTRYPOINT ["docker-registry", "serve", "/etc/docker/registry/config.yml"]

# gitlab-ci-local's --wait-image: waits for a service's port before its job starts.
FROM base AS wait-for-it
RUN apt-get update \
 && apt-get install -y --no-install-recommends wait-for-it \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["wait-for-it"]
