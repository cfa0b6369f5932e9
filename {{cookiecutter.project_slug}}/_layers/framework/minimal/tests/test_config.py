import re
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import (
    DEFAULT_HEARTBEAT_FILE,
    Settings,
    SettingsError,
    load,
)


def test_defaults_apply_when_nothing_is_set() -> None:
    settings = load({})
    assert settings == Settings()
    assert settings.heartbeat_file == Path(DEFAULT_HEARTBEAT_FILE)


def test_settings_come_from_the_environment() -> None:
    environ = {
        "INTERVAL_SECONDS": "0.5",
        "HEARTBEAT_FILE": "/run/worker/heartbeat",
        "HEARTBEAT_TIMEOUT_SECONDS": "10",
        "LOG_LEVEL": "debug",
    }
    assert load(environ) == Settings(
        interval_seconds=0.5,
        heartbeat_file=Path("/run/worker/heartbeat"),
        heartbeat_timeout_seconds=10,
        log_level="DEBUG",
    )


def test_empty_values_keep_the_defaults() -> None:
    assert load({"INTERVAL_SECONDS": "", "HEARTBEAT_FILE": "", "LOG_LEVEL": " "}) == Settings()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INTERVAL_SECONDS": "often"}, "INTERVAL_SECONDS='often' is not a number of seconds"),
        ({"INTERVAL_SECONDS": "0"}, "INTERVAL_SECONDS='0' must be a number of seconds above 0"),
        ({"INTERVAL_SECONDS": "-5"}, "INTERVAL_SECONDS='-5' must be"),
        ({"INTERVAL_SECONDS": "nan"}, "INTERVAL_SECONDS='nan' must be"),
        ({"HEARTBEAT_TIMEOUT_SECONDS": "inf"}, "HEARTBEAT_TIMEOUT_SECONDS='inf' must be"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL='LOUD' is not one of"),
        ({"INTERVAL_SECONDS": "60"}, "(60) must be longer than INTERVAL_SECONDS (60)"),
    ],
)
def test_bad_values_are_refused_by_name(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        load(environ)
