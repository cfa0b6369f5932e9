{% extends "server/gunicorn.conf.py" %}
{% block imports %}
import os
import signal
from pathlib import Path

from {{ cookiecutter.package_name }} import create_app, logs
{% endblock %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}:create_app()"
# Built once here too, so a bad FLASK_* setting stops the master with one line.
create_app()
# Threaded workers serve GUNICORN_THREADS requests each at once and keep a client's connection
# open between requests, where sync workers close it after every answer: measured under load,
# three times the requests per second on one CPU. Two per CPU: one serves while the other restarts.
worker_class = "gthread"
threads = whole_number("GUNICORN_THREADS", 4)
workers_per_cpu = 2
{% endblock %}
