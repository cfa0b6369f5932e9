"""The database engine, the per-request session, and the answer while the database is down."""

import logging
from collections.abc import Iterator

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import DeclarativeBase, Session

from {{ cookiecutter.package_name }}.settings import Settings

log = logging.getLogger(__name__)
# A restarting Postgres is usually back within a few seconds.
RETRY_AFTER_SECONDS = 5


class Base(DeclarativeBase):
    pass


class Outage:
    """Whether this worker process has seen the database fail since its last new connection: each
    outage logs one warning when it starts and one line when a connection succeeds again."""

    def __init__(self) -> None:
        self.ongoing = False

    def began(self, reason: str) -> None:
        if not self.ongoing:
            self.ongoing = True
            log.warning("Database unavailable, answering 503: %s", reason, extra={"reason": reason})

    def ended(self) -> None:
        if self.ongoing:
            self.ongoing = False
            log.info("Database available again")


outage = Outage()


def make_engine(settings: Settings) -> Engine:
    engine = create_engine(
        settings.database_url,
        # A fixed number of connections per worker process, no overflow: WEB_CONCURRENCY times
        # DATABASE_POOL_SIZE is all the service opens. Requests beyond it wait for a free one, but
        # no longer than for a new connection: a database that hangs gets a 503, not stuck requests.
        pool_size=settings.database_pool_size,
        max_overflow=0,
        pool_timeout=settings.database_connect_timeout,
        # Test connections before use, so the app recovers by itself after a database restart.
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": settings.database_connect_timeout,
            # A connection whose packets go unanswered (the server's host or network gone) fails
            # after as long, rather than after the kernel's retries, some 15 minutes.
            "tcp_user_timeout": settings.database_connect_timeout * 1000,
        },
    )
    event.listen(engine, "connect", lambda *_: outage.ended())
    return engine


def get_session(request: Request) -> Iterator[Session]:
    session = Session(request.app.state.engine)
    try:
        yield session
    finally:
        try:
            session.close()
        except DBAPIError as error:
            # The database dropped the connection once the answer was ready (a restart): the server
            # has rolled back, SQLAlchemy has discarded the connection, and nothing is left to do.
            if not error.connection_invalidated:
                raise


async def unavailable(request: Request, error: Exception) -> JSONResponse:
    """503 with Retry-After when the database cannot be reached, or no pooled connection frees up in
    time: the client may retry, and a load balancer sees a busy backend, not a broken one."""
    disconnected = isinstance(error, DBAPIError) and error.connection_invalidated
    if not (disconnected or isinstance(error, OperationalError | PoolTimeoutError)):
        raise error  # a bug (a constraint, bad SQL), not an outage: a 500 with its traceback
    outage.began(str(getattr(error, "orig", None) or error).splitlines()[0])
    return JSONResponse(
        {"detail": "database unavailable"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
