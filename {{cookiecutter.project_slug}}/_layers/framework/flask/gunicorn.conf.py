{% extends "server/gunicorn.conf.py" %}
{% block imports %}
import os

from {{ cookiecutter.package_name }} import create_app, logs
{% endblock %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}:create_app()"
# Built once here too, so a bad FLASK_* setting stops the master with one line.
create_app()
{% endblock %}
