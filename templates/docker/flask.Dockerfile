{% extends "docker/skeleton.Dockerfile" %}
{% block development_cmd %}["flask", "--app", "{{ cookiecutter.package_name }}", "run", "--debug", "--host", "0.0.0.0", "--port", "8000"]{% endblock %}
{% block app_files %}
COPY gunicorn.conf.py ./
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }}
{% endblock %}
