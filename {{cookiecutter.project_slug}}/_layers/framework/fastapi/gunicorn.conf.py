{% extends "server/gunicorn.conf.py" %}
{% block imports %}
import os
import signal
from pathlib import Path

from {{ cookiecutter.package_name }} import logs
from {{ cookiecutter.package_name }}.settings import get_settings
{% endblock %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}.main:create_app()"
# gunicorn manages the processes; uvicorn's worker runs the ASGI app in each.
worker_class = "uvicorn_worker.UvicornWorker"
# Read once here too, so a missing or bad setting stops the master with one line.
get_settings()
# A uvicorn worker serves many requests at once, but its sync routes share one interpreter lock:
# measured under load, two per CPU served 25-50 % more requests than one, for a worker's memory.
workers_per_cpu = 2
{% endblock %}
