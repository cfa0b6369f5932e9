{% extends "docker/skeleton.Dockerfile" %}
{% block development_cmd %}["uvicorn", "--factory", "{{ cookiecutter.package_name }}.main:create_app", "--reload", "--no-access-log", "--host", "0.0.0.0", "--port", "8000"]{% endblock %}
{% block test_stage %}
{% include "docker/postgres-test.Dockerfile" %}
{% endblock %}
{% block app_files %}
COPY gunicorn.conf.py alembic.ini ./
COPY migrations/ migrations/
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }} migrations
{% endblock %}
