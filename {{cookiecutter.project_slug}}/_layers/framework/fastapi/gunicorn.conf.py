{% extends "server/gunicorn.conf.py" %}
{% block app %}
wsgi_app = "{{ cookiecutter.package_name }}.main:create_app()"
# gunicorn manages the processes; uvicorn's worker runs the ASGI app in each.
worker_class = "uvicorn_worker.UvicornWorker"
{% endblock %}
