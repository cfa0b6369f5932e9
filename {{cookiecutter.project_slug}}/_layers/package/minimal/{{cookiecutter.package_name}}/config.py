"""Settings from environment variables, checked once at start-up so a bad value stops the
worker straight away with a message naming the variable."""

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# /tmp is the one writable place in the production container (a tmpfs under a read-only root).
DEFAULT_HEARTBEAT_FILE = "/tmp/{{ cookiecutter.package_name }}.heartbeat"  # noqa: S108
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """An environment variable holds a value the worker cannot use."""


@dataclass(frozen=True)
class Settings:
    # Seconds to wait between two units of work.
    interval_seconds: float = 5.0
    # The file the worker touches after every unit of work; `health` checks its age.
    heartbeat_file: Path = Path(DEFAULT_HEARTBEAT_FILE)
    # The worker counts as unhealthy once its heartbeat is older than this.
    heartbeat_timeout_seconds: float = 60.0
    log_level: str = "INFO"


def load(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the settings from `environ`; unset or empty variables keep their defaults."""
    defaults = Settings()
    settings = Settings(
        interval_seconds=_seconds(environ, "INTERVAL_SECONDS", defaults.interval_seconds),
        heartbeat_file=Path(environ.get("HEARTBEAT_FILE") or defaults.heartbeat_file),
        heartbeat_timeout_seconds=_seconds(
            environ, "HEARTBEAT_TIMEOUT_SECONDS", defaults.heartbeat_timeout_seconds
        ),
        log_level=_log_level(environ, defaults.log_level),
    )
    timeout, interval = settings.heartbeat_timeout_seconds, settings.interval_seconds
    if timeout <= interval:
        raise SettingsError(
            f"HEARTBEAT_TIMEOUT_SECONDS ({timeout:g}) must be longer than INTERVAL_SECONDS "
            f"({interval:g}): the worker beats once per interval"
        )
    return settings


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number of seconds") from None
    if not (math.isfinite(value) and value > 0):
        raise SettingsError(f"{name}={raw!r} must be a number of seconds above 0")
    return value


def _log_level(environ: Mapping[str, str], default: str) -> str:
    level = environ.get("LOG_LEVEL", "").strip().upper() or default
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL={level!r} is not one of {', '.join(LOG_LEVELS)}")
    return level
