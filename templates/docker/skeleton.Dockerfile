{% import "manager/" ~ cookiecutter.package_manager ~ "/manager.jinja" as manager with context %}
{% import "framework/" ~ cookiecutter.framework ~ "/framework.jinja" as framework %}
# Stages, in build order: {{ manager.docker_stages }} -> {% block stages %}development -> test -> production{% endblock %}.
# A plain `docker build .` builds production (the last stage); pick another with --target.
# Images are named in their FROM lines, where Dependabot and Renovate find them; to pull one from a
# mirror, swap it in at build time:
{% for image in manager.images %}
#   --build-context {{ image }}=docker-image://<mirror>/{{ image }}
{% endfor %}

# base: what the image stages share: the base image, its environment variables and an unprivileged user.
{{ manager.docker_base() }}
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
WORKDIR /app

{% block builder %}
{{ manager.docker_builder() -}}
{% endblock %}

# development: the runtime plus the dev tools; mount the code over /app to edit it live.
{{ manager.docker_stage("development", "dev") -}}
# To work inside the container (the devcontainer): make and git, /app trusted by git (it is mounted from
# the host, owned by whoever cloned it), and a home for the dev tools' caches. Debian's packages follow
# its security updates, so they are not pinned.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install --yes --no-install-recommends git make \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory /app \
    && usermod --home /home/app app && install --directory --owner app --group app /home/app
COPY . .
{% block development_files %}{% endblock %}
USER 10001:10001
{% block development_expose %}
EXPOSE 8000
{% endblock %}
CMD {% block development_cmd %}{% endblock %}


{% block test_stage %}
# test: lint and tests run inside the build (no caches: /app is read-only), so failing code makes no image.
FROM development AS test
RUN ruff check --no-cache . && ruff format --no-cache --check . && pytest -p no:cacheprovider
{% endblock %}
{% block extra_stages %}{% endblock %}

# production: only the runtime environment and the app on the slim base; last, so a plain `docker build .` makes it.
{{ manager.docker_production() -}}
{% block app_files %}{% endblock %}
USER 10001:10001
{% block production_expose %}
EXPOSE 8000
{% endblock %}
{% block healthcheck %}
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --start-interval=1s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000{{ framework.probes.liveness }}', timeout=2)"]
{% endblock %}
CMD {% block production_cmd %}["gunicorn", "--config", "gunicorn.conf.py"]{% endblock %}

