"""Probes, answered before other middleware, so no Host check or HTTPS redirect applies: liveness
(/health) never touches the database, readiness (/ready) does, and answers 503 while the server
drains before it stops (draining.py).

/ready logs when its answer changes, not on every probe: one warning with the reason when the
service stops being ready, one line when it is ready again (per worker process).
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from {{ cookiecutter.package_name }}.draining import draining

log = logging.getLogger(__name__)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.was_ready = True

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/health":
            return JsonResponse({"status": "ok"})
        if request.path == "/ready":
            return self.ready()
        return self.get_response(request)

    def ready(self) -> JsonResponse:
        """Readiness: the database answers, so the site can do its work, and it is not draining."""
        if draining():
            return JsonResponse({"status": "draining"}, status=503)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            if self.was_ready:
                reason = next(iter(str(error).splitlines()), type(error).__name__)
                log.warning("Not ready: database unavailable: %s", reason, extra={"reason": reason})
            self.was_ready = False
            return JsonResponse({"status": "database unavailable"}, status=503)
        if not self.was_ready:
            log.info("Ready again: the database answers")
        self.was_ready = True
        return JsonResponse({"status": "ready"})
