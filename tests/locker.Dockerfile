# The suite's locker: runs a generated project's own `make lock`. uv wants an interpreter that
# satisfies the project's requires-python, and 3.14 satisfies every python_version answer.
ARG PYTHON_IMAGE=python:3.14-slim
FROM ${PYTHON_IMAGE}
# Any make will do: the locks come from the managers' own tools, pinned below.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
# Each package manager's locking tools, pinned by its facts (templates/manager/*/manager.jinja).
ARG TOOLS
RUN python -m venv /opt/tools \
    && /opt/tools/bin/pip install --no-cache-dir ${TOOLS}
ENV PATH=/opt/tools/bin:$PATH \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=python3
WORKDIR /project
