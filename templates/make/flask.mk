.PHONY: run
run: install ## Serve with the reloading dev server on http://localhost:8000
	$(BIN)/flask --app {{ cookiecutter.package_name }} run --debug --port 8000
