# `make docker-run` runs the production image as deployed (read-only root, a tmpfs /tmp), named after
# the project, with each setting .env.example lists that .env or make's command line sets: docker's
# `--env NAME` passes a set one only, so the image's defaults stand for the rest.
CONTAINER ?= {{ cookiecutter.project_slug }}
DOCKER_RUN = docker run --rm --read-only --tmpfs /tmp --name $(CONTAINER) $(addprefix --env ,$(call names_in,.env.example))
