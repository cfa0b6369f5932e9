"""The application factory; gunicorn's uvicorn workers call it (see gunicorn.conf.py)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from {{ cookiecutter.package_name }} import access, db, health, items, logs
from {{ cookiecutter.package_name }}.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    logs.configure()
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The engine connects lazily: the app starts, and stays alive, while the database is down.
        app.state.engine = db.make_engine(settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title={{ cookiecutter.project_name | python_string }},
        version={{ cookiecutter.version | python_string }},
        lifespan=lifespan,
    )
    app.add_middleware(access.AccessLog)
    app.add_exception_handler(DBAPIError, db.unavailable)
    app.add_exception_handler(PoolTimeoutError, db.unavailable)
    app.include_router(health.router)
    app.include_router(items.router)
    return app
