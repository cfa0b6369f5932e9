COMPOSE_DEV := docker compose --file compose.yaml --file compose.dev.yaml
# The tests' Postgres listens on the port compose published it on: a free one, unless TEST_DB_PORT
# picks it; so projects side by side each test against their own.
test_db_port := docker compose --profile test port test-db 5432 2>/dev/null | sed 's/.*://'
test_db_url = postgresql://app:app@127.0.0.1:$(1)/app_test

.PHONY: run db down db-reset docker-test docker-run
run: ## Postgres, migrations and the app with reload on http://localhost:8000
	$(COMPOSE_DEV) up --build --watch

db: ## Start the tests' throwaway Postgres and print its DATABASE_URL
	docker compose --profile test up --detach --wait test-db
	@echo "DATABASE_URL=$(call test_db_url,$$($(test_db_port)))"

# The tests need Postgres: `make test` starts the throwaway one and points them at it. The
# devcontainer sets both variables: its compose stack runs that database, and it has no Docker.
TEST_DB ?= db
TEST_DATABASE_URL ?= $(call test_db_url,$(shell $(test_db_port)))
test: $(TEST_DB)
test: export DATABASE_URL = $(TEST_DATABASE_URL)

down: ## Stop everything compose started here; the database's data stays for the next run
	docker compose --profile test down --remove-orphans

db-reset: ## Stop everything and delete the database's data: the next run starts empty
	docker compose --profile test down --volumes --remove-orphans

docker-test: ## Lint in the image build, then the tests in it against a throwaway Postgres
	docker compose --profile test run --rm --build tests

docker-run: ## Postgres, migrations and the production image on http://localhost:8000
	docker compose up --build
