"""Access lines written by the app: uvicorn's own carry no time, latency or request id.

Every request gets an id (the client's X-Request-ID when it sends a plausible one), which the app
sees as X-Request-ID and the response echoes; one line per request gives its status and latency.
"""

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ID = b"x-request-id"

{% include "server/access-common.py" %}


class AccessLog:
    """ASGI middleware around the app (FastAPI's add_middleware)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = request_id(dict(scope["headers"]).get(ID, b"").decode("latin-1"))
        headers = [pair for pair in scope["headers"] if pair[0] != ID]
        scope["headers"] = [*headers, (ID, request.encode())]
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                kept = [pair for pair in message.get("headers", []) if pair[0].lower() != ID]
                message["headers"] = [*kept, (ID, request.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            write(scope["method"], scope["path"], status, started, request)
