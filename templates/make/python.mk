{% import "manager/" ~ cookiecutter.package_manager ~ "/manager.jinja" as manager with context %}
{% set minimum = cookiecutter.python_version.split(".") | join(", ") %}
# The Python .venv is built on: `make install PYTHON=python{{ cookiecutter.python_version }}` (a command on PATH or a path) names one.
PYTHON ?= python3
# PYTHON's path, if it satisfies requires-python; otherwise make stops with one line saying what to run.
# Asked only when a recipe needs it.
PYTHON_EXE = $(call python_exe,$(shell $(PYTHON) -c 'import sys; print(sys.executable if sys.version_info >= ({{ minimum }}) else "Python %d.%d" % sys.version_info[:2])' 2>/dev/null))
python_exe = $(or $(filter /%,$1),$(error this project needs Python {{ cookiecutter.python_version }} or newer, and $(PYTHON) $(if $1,is $1,was not found): point PYTHON at one (make install PYTHON=python{{ cookiecutter.python_version }}, a command on PATH or a path)$(fetched_python); or work in the devcontainer or with make docker-test, which need no Python here))
# {{ manager.python_fetcher }}, where it is installed, downloads the Python it is asked for.
fetched_python = $(if $(shell command -v {{ manager.python_fetcher }}),; or let {{ manager.python_fetcher }} fetch one: {{ manager.fetch_python | replace("$", "$$") }})
