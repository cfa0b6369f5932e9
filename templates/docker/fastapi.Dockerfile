{% extends "docker/" ~ cookiecutter.package_manager ~ ".Dockerfile" %}
{% block development_cmd %}["uvicorn", "--factory", "{{ cookiecutter.package_name }}.main:create_app", "--reload", "--host", "0.0.0.0", "--port", "8000"]{% endblock %}
{% block test_stage %}
# test: lint runs in the build; the tests need Postgres, so they run when this image runs (make docker-test).
FROM development AS test
RUN ruff check --no-cache . && ruff format --no-cache --check .
CMD ["pytest", "-p", "no:cacheprovider"]
{% endblock %}
{% block app_files %}
COPY gunicorn.conf.py alembic.ini ./
COPY migrations/ migrations/
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }} migrations
{% endblock %}
