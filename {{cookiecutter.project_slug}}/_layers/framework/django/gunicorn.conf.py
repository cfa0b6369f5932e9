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
# A sync worker serves one request at a time: two per CPU keep it busy while one waits.
workers_per_cpu = 2
{% endblock %}
