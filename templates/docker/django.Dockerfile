{% extends "docker/skeleton.Dockerfile" %}
{% import "manager/" ~ cookiecutter.package_manager ~ "/manager.jinja" as manager with context %}
{% block stages %}assets -> development -> test -> static -> production{% endblock %}
{% block builder %}
{{ super() }}
# assets: Node builds the front-end bundle; only its output moves on, so no node reaches production.
FROM node:26-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/src/ frontend/src/
RUN npm run build
{% endblock %}
{% block development_files %}
# The dev server serves the bundle as built, from STATICFILES_DIRS.
COPY --from=assets /build/frontend/dist/ frontend/dist/
{% endblock %}
{% block development_cmd %}["python", "manage.py", "runserver", "0.0.0.0:8000"]{% endblock %}
{% block test_stage %}
{% include "docker/postgres-test.Dockerfile" %}
{% endblock %}
{% block extra_stages %}

# static: collectstatic hashes and compresses every static file, with a key that exists only in this step.
# It reads the settings, not the apps' code (collectstatic_settings.py), so a code change leaves it cached.
{{ manager.docker_stage("static", "runtime") -}}
COPY manage.py ./
COPY {{ cookiecutter.package_name }}/__init__.py {{ cookiecutter.package_name }}/logs.py {{ cookiecutter.package_name }}/settings.py {{ cookiecutter.package_name }}/collectstatic_settings.py {{ cookiecutter.package_name }}/
COPY --from=assets /build/frontend/dist/ frontend/dist/
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=postgresql://collectstatic-only/none \
    python manage.py collectstatic --noinput --settings {{ cookiecutter.package_name }}.collectstatic_settings
{% endblock %}
{% block app_files %}
COPY gunicorn.conf.py manage.py ./
COPY --from=static /app/staticfiles/ staticfiles/
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }}
{% endblock %}
