.PHONY: run docker-test docker-run
run: $(INSTALL) ## Run the worker in the foreground; Ctrl+C stops it cleanly
	$(BIN)/python -m {{ cookiecutter.package_name }} run

docker-test: ## Lint and test inside the image build (the test stage)
	docker build --target test .

docker-run: docker-build ## Run the production image as deployed (read-only root, tmpfs /tmp)
	docker run --rm --read-only --tmpfs /tmp $(IMAGE):$(TAG)
