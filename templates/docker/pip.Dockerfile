{% extends "docker/skeleton.Dockerfile" %}
{% import "manager/uv.jinja" as uv %}
{% block manager_args %}
ARG UV_IMAGE=ghcr.io/astral-sh/uv:{{ uv.version }}
{% endblock %}
{% block builder %}
{% include "docker/uv-stage.Dockerfile" %}
# uv's pip interface installs the same hash-checked pins as pip, several times faster.
RUN uv venv /opt/venv
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=requirements/base.txt,target=/tmp/requirements.txt \
    uv pip install --require-hashes -r /tmp/requirements.txt
{% endblock %}
{% block development_deps %}
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=requirements/dev.txt,target=/tmp/requirements.txt \
    uv pip install --require-hashes -r /tmp/requirements.txt
{% endblock %}
