"""Access lines written by the app: gunicorn's own carry no request id.

Every request gets an id (the client's X-Request-ID when it sends a plausible one), which the app
sees as X-Request-ID and the response echoes; one line per request gives its status and latency.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

{% include "server/access-common.py" %}


class AccessLog:
    """WSGI middleware around the app."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterator[bytes]:
        started = time.perf_counter()
        request = request_id(environ.get("HTTP_X_REQUEST_ID"))
        environ["HTTP_X_REQUEST_ID"] = request
        status = 500

        def start_with_id(status_line: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            nonlocal status
            status = int(status_line.split(" ", 1)[0])
            headers = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
            return start(status_line, [*headers, ("X-Request-ID", request)], *exc_info)

        body = self.app(environ, start_with_id)
        try:
            yield from body
        finally:
            # The latency includes sending the body; WSGI asks whoever iterates it to close it.
            if hasattr(body, "close"):
                body.close()
            path = environ.get("PATH_INFO", "/")
            write(environ["REQUEST_METHOD"], path, status, started, request)
