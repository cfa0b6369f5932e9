{% extends "docker/skeleton.Dockerfile" %}
{% import "manager/" ~ cookiecutter.package_manager ~ "/manager.jinja" as manager with context %}
{% block stages %}development -> test -> notebook -> training -> production{% endblock %}
{% block builder %}
{{ super() -}}
# numpy, scipy and scikit-learn ship their own test suites (about 60 MB) that serving never runs.
RUN find {{ manager.env_prefix }} -depth -type d -name tests -exec rm -rf {} +
{% endblock %}
{% block development_cmd %}["uvicorn", "--factory", "{{ cookiecutter.package_name }}.serving:create_app", "--reload", "--no-access-log", "--host", "0.0.0.0", "--port", "8000"]{% endblock %}
{% block extra_stages %}

# notebook: JupyterLab with the training and plotting libraries, for exploring the data; never deployed.
{{ manager.docker_stage("notebook", "notebook") -}}
# Jupyter, IPython and matplotlib keep state under $HOME; /tmp is writable for whichever uid runs this.
ENV HOME=/tmp \
    PYTHONPATH=/app
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
COPY data/ data/
COPY notebooks/ notebooks/
USER 10001:10001
EXPOSE 8888
# The login token comes from JUPYTER_TOKEN in the environment. `make docker-notebook` runs it as the
# host's uid, root's included, which Jupyter refuses unless allowed.
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--allow-root", "--ServerApp.root_dir=/app"]

# training: fits the model on data/ with a fixed seed; production takes only the artifact it writes.
{{ manager.docker_stage("training", "training") -}}
# The package's top-level modules are the training code; serving/ is not, so changing it never retrains.
COPY {{ cookiecutter.package_name }}/*.py {{ cookiecutter.package_name }}/
COPY data/ data/
RUN python -m {{ cookiecutter.package_name }}.training --output models
{% endblock %}
{% block app_files %}
COPY gunicorn.conf.py ./
COPY --from=training /app/models/ models/
COPY {{ cookiecutter.package_name }}/ {{ cookiecutter.package_name }}/
RUN python -m compileall -q {{ cookiecutter.package_name }}
{% endblock %}
