"""Run migrations against the service's own DATABASE_URL, with its models as the target."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

# Imported for its side effect: it registers the tables on Base.metadata.
from {{ cookiecutter.package_name }} import models  # noqa: F401
from {{ cookiecutter.package_name }}.db import Base
from {{ cookiecutter.package_name }}.settings import get_settings

if context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)


def run_migrations() -> None:
    engine = create_engine(get_settings().database_url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not set up; run against a database.")
run_migrations()
