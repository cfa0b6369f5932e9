"""A view that cannot reach the database answers 503 with Retry-After, not a 500.

Postgres restarting, or its host gone, makes a view raise OperationalError or InterfaceError: the
client gets a short page it may retry after a few seconds, and the log one warning when an outage
starts and one line when a connection succeeds again (per worker process), not a traceback per
request. The page is HTML like Django's other error pages: the site's clients are browsers.
"""

import logging
import threading
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)
# A restarting Postgres is usually back within a few seconds.
RETRY_AFTER_SECONDS = 5
PAGE = """<!doctype html>
<title>Service unavailable</title>
<p>The service cannot reach its database. Try again in a few seconds.</p>
"""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.outage = False
        self.lock = threading.Lock()
        connection_created.connect(self.connected)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if not isinstance(error, OperationalError | InterfaceError):
            return None
        if self.changed(outage=True):
            reason = (str(error).strip() or type(error).__name__).splitlines()[0]
            log.warning("Database unavailable, answering 503: %s", reason, extra={"reason": reason})
        return HttpResponse(PAGE, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    def connected(self, **_: object) -> None:
        if self.changed(outage=False):
            log.info("Database available again")

    def changed(self, outage: bool) -> bool:
        """Record the database's state; True when that changes it. The worker's threads share it, so
        exactly one of them logs each change."""
        with self.lock:
            changed, self.outage = self.outage != outage, outage
        return changed
