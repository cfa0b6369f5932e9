from alembic import command
from alembic.config import Config


def test_models_and_migrations_agree() -> None:
    """Fails when a model changed without a migration (`alembic revision --autogenerate`)."""
    command.check(Config("alembic.ini"))
