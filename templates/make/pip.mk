PYTHON ?= python3

.PHONY: install lock
install: $(VENV)/.installed ## Create .venv with the locked dev dependencies

$(VENV)/.installed: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --require-hashes -r requirements/dev.txt
	@touch $@

# `make lock LOCK_FLAGS=--upgrade` moves every pin to its newest release.
lock: install ## Re-pin requirements/*.txt from the .in files
	$(BIN)/uv pip compile $(LOCK_FLAGS) --quiet --universal --generate-hashes --python-version {{ cookiecutter.python_version }} --custom-compile-command "make lock" requirements/base.in -o requirements/base.txt
	$(BIN)/uv pip compile $(LOCK_FLAGS) --quiet --universal --generate-hashes --python-version {{ cookiecutter.python_version }} --custom-compile-command "make lock" requirements/dev.in -o requirements/dev.txt
