"""The database engine and the per-request session."""

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import DeclarativeBase, Session

from {{ cookiecutter.package_name }}.settings import Settings


class Base(DeclarativeBase):
    pass


def make_engine(settings: Settings) -> Engine:
    return create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        # Test connections before use, so the app recovers by itself after a database restart.
        pool_pre_ping=True,
        connect_args={"connect_timeout": settings.database_connect_timeout},
    )


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session
