{% extends "docker/skeleton.Dockerfile" %}
{# A worker listens on no port: both stages leave EXPOSE out. #}
{% block development_expose %}{% endblock %}
{% block development_cmd %}["python", "-m", "{{ cookiecutter.package_name }}", "run"]{% endblock %}
{% block app_files %}
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }}
{% endblock %}
{% block production_expose %}{% endblock %}
{% block healthcheck %}
# No HTTP to probe: the worker touches a heartbeat file in /tmp after every unit of work, and this fails once it is stale.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --start-interval=1s \
    CMD ["python", "-m", "{{ cookiecutter.package_name }}", "health"]
{% endblock %}
{% block production_cmd %}["python", "-m", "{{ cookiecutter.package_name }}", "run"]{% endblock %}
