"""The tests run against a real Postgres at DATABASE_URL (`make test` starts one)."""

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings, get_settings


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    """Migrate the database once for the session; the tests prove the migrations too."""
    engine = create_engine(get_settings().database_url)
    try:
        engine.connect().close()
    except OperationalError as error:
        pytest.exit(f"The tests need Postgres at DATABASE_URL (`make db`): {error}", returncode=3)
    command.upgrade(Config("alembic.ini"), "head")
    yield
    engine.dispose()


@pytest.fixture(autouse=True)
def empty_tables() -> Iterator[None]:
    yield
    engine = create_engine(get_settings().database_url)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE items RESTART IDENTITY"))
    engine.dispose()


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def offline_client() -> Iterator[TestClient]:
    """The app against a database address that refuses every connection at once."""
    unreachable = Settings(
        database_url="postgresql://nobody:nothing@127.0.0.1:1/none",
        database_connect_timeout=1,
    )
    with TestClient(create_app(unreachable)) as client:
        yield client
