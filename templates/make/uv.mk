.PHONY: install lock
install: $(VENV)/.installed ## Create .venv with the locked dev dependencies (uv sync)

$(VENV)/.installed: uv.lock pyproject.toml
	UV_PROJECT_ENVIRONMENT=$(VENV) uv sync --locked
	@touch $@

# `make lock LOCK_FLAGS=--upgrade` moves every pin to its newest release.
lock: ## Re-lock uv.lock after editing the dependencies in pyproject.toml
	uv lock $(LOCK_FLAGS)
