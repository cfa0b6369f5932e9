{% extends "docker/" ~ cookiecutter.package_manager ~ ".Dockerfile" %}
{% block development_cmd %}["flask", "--app", "{{ cookiecutter.package_name }}", "run", "--debug", "--host", "0.0.0.0", "--port", "8000"]{% endblock %}
{% block app_files %}
COPY gunicorn.conf.py ./
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }}
{% endblock %}
{% block healthcheck %}
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --start-interval=1s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
{% endblock %}
{% block production_cmd %}["gunicorn", "--config", "gunicorn.conf.py"]{% endblock %}
