{% extends "docker/skeleton.Dockerfile" %}
{% import "manager/uv.jinja" as uv %}
{% import "manager/pip.jinja" as pip %}
{% block manager_args %}
ARG UV_IMAGE=ghcr.io/astral-sh/uv:{{ uv.version }}
{% endblock %}
{% block builder %}
{% include "docker/uv-stage.Dockerfile" %}
# uv's pip interface installs the same hash-checked pins as pip, several times faster.
RUN uv venv /opt/venv
{{ pip.docker_install("base") }}
{% endblock %}
{% block development_deps %}
{{ pip.docker_install("dev") }}
{% endblock %}
