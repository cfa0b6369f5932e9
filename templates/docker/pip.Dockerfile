{% extends "docker/skeleton.Dockerfile" %}
{% block builder %}
# builder: installs the locked runtime dependencies into /opt/venv, which is all production takes from it.
FROM base AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
RUN python -m venv --without-pip /opt/venv
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=bind,source=requirements/base.txt,target=/tmp/requirements.txt \
    pip --python /opt/venv/bin/python install --require-hashes -r /tmp/requirements.txt
{% endblock %}
{% block development_deps %}
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=bind,source=requirements/dev.txt,target=/tmp/requirements.txt \
    pip --python /opt/venv/bin/python install --require-hashes -r /tmp/requirements.txt
{% endblock %}
