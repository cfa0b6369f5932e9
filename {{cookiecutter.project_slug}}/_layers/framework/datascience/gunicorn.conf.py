{% extends "server/gunicorn.conf.py" %}
{% block imports %}
import os
import signal
from pathlib import Path

from {{ cookiecutter.package_name }}.serving import logs
{% endblock %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}.serving:create_app()"
# gunicorn manages the processes; uvicorn's worker runs the app, and a copy of the model, in each.
worker_class = "uvicorn_worker.UvicornWorker"
# Predicting is CPU work, which a uvicorn worker runs in its thread pool: one worker per CPU.
workers_per_cpu = 1
{% endblock %}
