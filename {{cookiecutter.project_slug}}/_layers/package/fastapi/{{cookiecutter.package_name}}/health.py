"""Probes: liveness (/health) never touches the database, readiness (/ready) does, and answers
503 while the server drains before it stops (draining.py).

/ready logs when its answer changes, not on every probe: one warning with the reason when the
service stops being ready, one line when it is ready again (per worker process).
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from {{ cookiecutter.package_name }}.db import get_session
from {{ cookiecutter.package_name }}.draining import draining

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: the process answers, whatever the state of its dependencies."""
    return {"status": "ok"}


@router.get("/ready")
def ready(request: Request, session: Annotated[Session, Depends(get_session)]) -> dict[str, str]:
    """Readiness: the database answers, so the service can do its work, and it is not draining."""
    if draining():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "draining")
    was_ready = getattr(request.app.state, "ready", True)
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        if was_ready:
            reason = str(error.orig or error).splitlines()[0]
            log.warning("Not ready: database unavailable: %s", reason, extra={"reason": reason})
        request.app.state.ready = False
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "database unavailable") from error
    if not was_ready:
        log.info("Ready again: the database answers")
    request.app.state.ready = True
    return {"status": "ready"}
