PORT ?= 8000

.PHONY: run docker-test docker-run
run: $(INSTALL) ## Serve with the reloading dev server on http://localhost:8000
	@# The Makefile has exported .env; Flask would only print a tip to install python-dotenv.
	FLASK_SKIP_DOTENV=1 $(BIN)/flask --app {{ cookiecutter.package_name }} run --debug --port $(PORT)

docker-test: ## Lint and test inside the image build (the test stage)
	docker build --target test .

docker-run: docker-build ## Run the production image on http://localhost:8000
	docker run --rm --read-only --tmpfs /tmp --publish 8000:8000 $(IMAGE):$(TAG)
