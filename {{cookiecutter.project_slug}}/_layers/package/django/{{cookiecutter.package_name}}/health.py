"""Liveness probe, answered before other middleware: no Host check or HTTPS redirect applies."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/health":
            return JsonResponse({"status": "ok"})
        return self.get_response(request)
