{% extends "server/gunicorn.conf.py" %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}.wsgi:application"
{% endblock %}
