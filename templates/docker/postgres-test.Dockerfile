# test: lint runs in the build; the tests need Postgres, so they run when this image runs (make docker-test).
FROM development AS test
RUN ruff check --no-cache . && ruff format --no-cache --check .
CMD ["pytest", "-p", "no:cacheprovider"]
