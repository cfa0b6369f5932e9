{% import "deps/" ~ cookiecutter.framework ~ ".jinja" as deps %}
PYTHON ?= python3

.PHONY: install lock
install: $(VENV)/.installed ## Create .venv with the locked dev dependencies

$(VENV)/.installed: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --require-hashes -r requirements/dev.txt
	@touch $@

# `make lock LOCK_FLAGS=--upgrade` moves every pin to its newest release.
# Each file is pinned on top of the one before it, so they agree on every pin they share.
lock: install ## Re-pin requirements/*.txt from the .in files
{% for role in ["base"] + deps.roles | list + ["dev"] %}
	$(BIN)/uv pip compile $(LOCK_FLAGS) --quiet --universal --generate-hashes --python-version {{ cookiecutter.python_version }} --custom-compile-command "make lock" requirements/{{ role }}.in -o requirements/{{ role }}.txt
{% endfor %}
