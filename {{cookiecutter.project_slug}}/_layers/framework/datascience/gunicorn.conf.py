{% extends "server/gunicorn.conf.py" %}
{% block imports %}
import os

from {{ cookiecutter.package_name }}.serving import logs
{% endblock %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}.serving:create_app()"
# gunicorn manages the processes; uvicorn's worker runs the app, and a copy of the model, in each.
worker_class = "uvicorn_worker.UvicornWorker"
{% endblock %}
