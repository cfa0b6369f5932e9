MODEL_DIR ?= models
PORT ?= 8000
NOTEBOOK_PORT ?= 8888
PACKAGE := {{ cookiecutter.package_name }}

.PHONY: train serve notebook docker-test docker-notebook docker-run
train: $(MODEL_DIR)/model.joblib ## Train on data/ with the fixed seed: the model and its metrics in models/

# Retrains only when the data, the training code (the package's top-level modules, not serving/) or
# the dependencies changed (`make -B train` forces it).
$(MODEL_DIR)/model.joblib: $(VENV)/.installed $(wildcard data/*.csv $(PACKAGE)/*.py)
	$(BIN)/python -m $(PACKAGE).training --output $(MODEL_DIR)

serve: train ## Serve the trained model with reload on http://localhost:8000
	MODEL_DIR=$(MODEL_DIR) $(BIN)/uvicorn --factory $(PACKAGE).serving:create_app --reload --no-access-log --port $(PORT)

# Jupyter makes the login token and prints the URL holding it once it listens (a token set in
# JUPYTER_TOKEN it does not print). It refuses to run as root unless told to.
notebook: $(INSTALL) ## JupyterLab importing the package from here: open the URL with the token it prints
	PYTHONPATH=$(CURDIR) $(BIN)/jupyter lab --port $(NOTEBOOK_PORT) $$(test "$$(id -u)" != 0 || echo --allow-root)

docker-test: ## Lint, test and run the notebooks inside the image build (the test stage)
	docker build --target test .

# The login token: a fresh one for each run unless the environment sets one; Jupyter in the container
# cannot print a URL this machine reaches, so make does. It runs as your uid, so saved notebooks stay
# yours, and attaches a terminal only when it has one (a script or CI has none).
docker-notebook: export JUPYTER_TOKEN := $(or $(JUPYTER_TOKEN),$(shell od -An -N24 -tx1 /dev/urandom | tr -d ' \n'))
docker-notebook: ## JupyterLab from the notebook stage on http://127.0.0.1:8888, this directory mounted
	docker build --target notebook --tag $(IMAGE):notebook .
	@echo "JupyterLab: http://127.0.0.1:$(NOTEBOOK_PORT)/lab?token=$(JUPYTER_TOKEN)"
	docker run --rm $$(test ! -t 0 || echo --interactive --tty) --user "$$(id -u):$$(id -g)" --env JUPYTER_TOKEN \
		--publish 127.0.0.1:$(NOTEBOOK_PORT):8888 --volume "$(CURDIR):/app" $(IMAGE):notebook

docker-run: docker-build ## Run the production (serving) image on http://localhost:8000
	docker run --rm --read-only --tmpfs /tmp --publish 8000:8000 $(IMAGE):$(TAG)
