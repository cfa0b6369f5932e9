"""Log lines for people by default, one JSON object per line with LOG_FORMAT=json.

Every line the process writes goes through one handler on the root logger, so all of them share
the format and each JSON line stands alone.
"""

import json
import logging
import logging.config
import os
import sys
from datetime import UTC, datetime

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What a log call may add with extra=...; JSON lines carry them as their own keys.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "reason")


class JsonFormatter(logging.Formatter):
    """One JSON object per record; a traceback stays inside its record's object."""

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.fromtimestamp(record.created, UTC)
        line = {
            "timestamp": created.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= {field: getattr(record, field) for field in FIELDS if hasattr(record, field)}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def setting(name: str, choices: tuple[str, ...], default: str) -> str:
    """An environment variable that must be one of `choices`; anything else stops the start."""
    value = os.environ.get(name, "").strip() or default
    if value.lower() not in (choice.lower() for choice in choices):
        raise SystemExit(f"error: {name}={value!r} is not one of {', '.join(choices)}")
    return value


def formatter() -> logging.Formatter:
    if setting("LOG_FORMAT", FORMATS, "text").lower() == "json":
        return JsonFormatter()
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def level() -> str:
    return setting("LOG_LEVEL", LEVELS, "INFO").upper()


def configure() -> None:
    """Send every record to stdout in LOG_FORMAT, unless a server configured logging already."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter())
    root.addHandler(handler)
    root.setLevel(level())
