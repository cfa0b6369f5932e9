COMPOSE_DEV := docker compose --file compose.yaml --file compose.dev.yaml

.PHONY: run db down docker-test docker-run
run: ## Postgres, migrations and the app with reload on http://localhost:8000
	$(COMPOSE_DEV) up --build --watch

db: ## Start the tests' throwaway Postgres on 127.0.0.1:55432
	docker compose --profile test up --detach --wait test-db

# The tests need Postgres: `make test` starts the throwaway one and points them at it. The
# devcontainer sets both variables: its compose stack runs that database, and it has no Docker.
TEST_DB ?= db
TEST_DATABASE_URL ?= postgresql://app:app@127.0.0.1:55432/app_test
test: $(TEST_DB)
test: export DATABASE_URL = $(TEST_DATABASE_URL)

down: ## Stop everything compose started here and delete its volumes
	docker compose --profile test down --volumes --remove-orphans

docker-test: ## Lint in the image build, then the tests in it against a throwaway Postgres
	docker compose --profile test run --rm --build tests

docker-run: ## Postgres, migrations and the production image on http://localhost:8000
	docker compose up --build
