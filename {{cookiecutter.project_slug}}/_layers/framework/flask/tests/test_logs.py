import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from {{ cookiecutter.package_name }} import devserver, logs

Get = Callable[[str, dict[str, str]], tuple[int, dict[str, str]]]
REQUEST_PATH = "/api/greeting"


@pytest.fixture
def get(app: Flask) -> Get:
    def get(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        response = app.test_client().get(path, headers=headers)
        return response.status_code, {k.lower(): v for k, v in response.headers.items()}

    return get


{% include "server/test-logs.py" %}


{% include "server/test-access.py" %}


{% include "server/test-gunicorn.py" %}


def test_a_bad_app_setting_stops_with_one_line_naming_it() -> None:
    result = check_gunicorn_config(FLASK_MAX_NAME_LENGTH='"many"')
    assert_one_line_naming(result, "FLASK_MAX_NAME_LENGTH")


def test_the_dev_server_logs_no_request_line_and_no_colours(caplog: Any) -> None:
    """`flask run`'s request lines repeat the access line; colour codes do not belong in logs."""
    devserver.quieten()
    werkzeug = logging.getLogger("werkzeug")
    line = "\x1b[33mGET / HTTP/1.1\x1b[0m"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        werkzeug.info('127.0.0.1 - - [01/Jan/2026 00:00:00] "%s" %s %s', line, "404", "-")
        werkzeug.info("\x1b[33mPress CTRL+C to quit\x1b[0m")
    assert [record.getMessage() for record in caplog.records] == ["Press CTRL+C to quit"]
