{% extends "docker/skeleton.Dockerfile" %}
{% import "manager/uv.jinja" as uv %}
{% block manager_args %}
ARG UV_IMAGE=ghcr.io/astral-sh/uv:{{ uv.version }}
{% endblock %}
{% block builder %}
# uv: the pinned uv binary, for the builder only.
FROM ${UV_IMAGE} AS uv

# builder: uv installs the locked runtime dependencies into /opt/venv, which is all production takes from it.
FROM base AS builder
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-dev --no-install-project
{% endblock %}
{% block development_deps %}
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-install-project
{% endblock %}
