# uv: the pinned uv binary, for the builder only.
FROM ${UV_IMAGE} AS uv

# builder: uv installs the locked runtime dependencies into /opt/venv, which is all production takes from it.
FROM base AS builder
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
