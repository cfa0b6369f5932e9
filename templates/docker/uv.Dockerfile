{% extends "docker/skeleton.Dockerfile" %}
{% import "manager/uv.jinja" as uv %}
{% block manager_args %}
ARG UV_IMAGE=ghcr.io/astral-sh/uv:{{ uv.version }}
{% endblock %}
{% block builder %}
{% include "docker/uv-stage.Dockerfile" %}
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
