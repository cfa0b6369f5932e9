MODEL_DIR ?= models
PORT ?= 8000
NOTEBOOK_PORT ?= 8888
PACKAGE := {{ cookiecutter.package_name }}
# JupyterLab's login token: a fresh one for each make run unless the environment sets one.
ifndef JUPYTER_TOKEN
export JUPYTER_TOKEN := $(shell python3 -c "import secrets; print(secrets.token_urlsafe(24))")
endif

.PHONY: train serve notebook docker-test docker-notebook docker-run
train: $(MODEL_DIR)/model.joblib ## Train on data/ with the fixed seed: the model and its metrics in models/

# Retrains only when the data, the training code (the package's top-level modules, not serving/) or
# the dependencies changed (`make -B train` forces it).
$(MODEL_DIR)/model.joblib: $(VENV)/.installed $(wildcard data/*.csv $(PACKAGE)/*.py)
	$(BIN)/python -m $(PACKAGE).training --output $(MODEL_DIR)

serve: train ## Serve the trained model with reload on http://localhost:8000
	MODEL_DIR=$(MODEL_DIR) $(BIN)/uvicorn --factory $(PACKAGE).serving:create_app --reload --no-access-log --port $(PORT)

notebook: install ## JupyterLab on http://localhost:8888, importing the package from this directory
	PYTHONPATH=$(CURDIR) $(BIN)/jupyter lab --port $(NOTEBOOK_PORT)

docker-test: ## Lint, test and run the notebooks inside the image build (the test stage)
	docker build --target test .

docker-notebook: ## JupyterLab from the notebook stage on http://127.0.0.1:8888, this directory mounted
	docker build --target notebook --tag $(IMAGE):notebook .
	@echo "JupyterLab: http://127.0.0.1:8888/lab?token=$(JUPYTER_TOKEN)"
	docker run --rm -it --user "$$(id -u):$$(id -g)" --env JUPYTER_TOKEN \
		--publish 127.0.0.1:8888:8888 --volume "$(CURDIR):/app" $(IMAGE):notebook

docker-run: docker-build ## Run the production (serving) image on http://localhost:8000
	docker run --rm --read-only --tmpfs /tmp --publish 8000:8000 $(IMAGE):$(TAG)
