COMPOSE_DEV := docker compose --file compose.yaml --file compose.dev.yaml
COMPOSE_TEST := docker compose --profile test
# The tests' Postgres listens on the port compose published it on: a free one, unless TEST_DB_PORT
# picks it; so projects side by side each test against their own.
test_db_port := $(COMPOSE_TEST) port test-db 5432 2>/dev/null | sed 's/.*://'
test_db_url = postgresql://app:app@127.0.0.1:$(1)/app_test
# A shell's first commands: the tests' Postgres up, and removed again when the shell exits, pass or fail
# (Ctrl+C too), unless it was up already (`make db`'s stays until `make down`).
with_test_db = if [ -z "$$($(COMPOSE_TEST) ps --quiet test-db)" ]; then \
		trap '$(COMPOSE_TEST) down test-db' EXIT; trap 'exit 130' INT TERM; \
		$(COMPOSE_TEST) up --detach --wait test-db || exit; \
	fi

.PHONY: run db down db-reset docker-test docker-run
run: ## Postgres, migrations and the app with reload on http://localhost:8000
	$(COMPOSE_DEV) up --build --watch

db: ## Start the tests' throwaway Postgres and print its DATABASE_URL; it runs until `make down`
	$(COMPOSE_TEST) up --detach --wait test-db
	@echo "DATABASE_URL=$(call test_db_url,$$($(test_db_port)))"

# The tests need Postgres: `make test` runs them against the throwaway one. The devcontainer empties
# TEST_DB and sets TEST_DATABASE_URL: its compose stack runs that database, and it has no Docker.
TEST_DB ?= test-db
TEST_DATABASE_URL ?= $(call test_db_url,$$($(test_db_port)))
test: $(INSTALL) ## Run the tests against a throwaway Postgres, removed once they end
	@$(if $(TEST_DB),$(with_test_db);) DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest

down: ## Stop everything compose started here; the database's data stays for the next run
	$(COMPOSE_TEST) down --remove-orphans

db-reset: ## Stop everything and delete the database's data: the next run starts empty
	$(COMPOSE_TEST) down --volumes --remove-orphans

# The dev stack's image as the code is now, for the targets that `run` a service in it: compose's run
# builds only the service it runs, while the migrate step it starts first takes app's image as it is
# (or pulls it, when there is none).
.PHONY: dev-image
dev-image:
	$(COMPOSE_DEV) build
	$(prune_superseded)

# `make clean` removes the images, so first the containers made from them.
clean: down

docker-test: ## Lint in the image build, then the tests in it against a throwaway Postgres
	$(COMPOSE_TEST) build tests
	$(prune_superseded)
	@$(with_test_db); $(COMPOSE_TEST) run --rm tests

# The containers are made (the app's afresh from a new image) before the images they leave behind are
# pruned; `up` then starts them.
docker-run: ## Postgres, migrations and the production image on http://localhost:8000
	docker compose create --build
	$(prune_superseded)
	docker compose up
