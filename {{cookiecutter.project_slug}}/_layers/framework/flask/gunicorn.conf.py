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
# A sync worker serves one request at a time: two per CPU keep it busy while one waits.
workers_per_cpu = 2
{% endblock %}
