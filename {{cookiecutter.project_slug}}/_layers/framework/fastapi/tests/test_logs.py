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
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }} import db, health, logs
from {{ cookiecutter.package_name }}.db import make_engine
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings, get_settings

Get = Callable[[str, dict[str, str]], tuple[int, dict[str, str]]]
REQUEST_PATH = "/openapi.json"


@pytest.fixture
def get(client: TestClient) -> Get:
    def get(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        response = client.get(path, headers=headers)
        return response.status_code, dict(response.headers)

    return get


{% include "server/test-logs.py" %}


{% include "server/test-access.py" %}


{% include "server/test-gunicorn.py" %}


@pytest.mark.parametrize("url", ["", "mysql://app@db/app", "not a url"])
def test_a_missing_or_wrong_database_url_stops_with_one_line(url: str) -> None:
    assert_one_line_naming(check_gunicorn_config(DATABASE_URL=url), "DATABASE_URL")


def readiness(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == health.log.name]


def test_ready_logs_once_when_it_changes(caplog: pytest.LogCaptureFixture) -> None:
    unreachable = Settings(
        database_url="postgresql://nobody:nothing@127.0.0.1:1/none",
        database_connect_timeout=1,
    )
    caplog.set_level(logging.INFO, logger=health.log.name)
    with TestClient(create_app(unreachable)) as client:
        assert [client.get("/ready").status_code for _ in range(3)] == [503] * 3
        [down] = readiness(caplog)
        assert down.levelno == logging.WARNING
        assert down.getMessage().startswith("Not ready: database unavailable: ")
        caplog.clear()
        client.app.state.engine = make_engine(get_settings())
        assert [client.get("/ready").status_code for _ in range(3)] == [200] * 3
        assert [(r.levelno, r.getMessage()) for r in readiness(caplog)] == [
            (logging.INFO, "Ready again: the database answers")
        ]


def test_a_database_outage_logs_once_when_it_starts_and_once_when_it_ends(
    offline_client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "outage", db.Outage())  # this worker's state, as it starts
    caplog.set_level(logging.INFO)
    assert [offline_client.get("/items").status_code for _ in range(3)] == [503] * 3
    [down] = [r for r in caplog.records if r.name == db.log.name]
    assert down.levelno == logging.WARNING
    assert down.getMessage().startswith("Database unavailable, answering 503: ")
    assert not [r for r in caplog.records if r.exc_info], "no traceback for an outage"
    caplog.clear()
    offline_client.app.state.engine = make_engine(get_settings())
    assert [offline_client.get("/items").status_code for _ in range(3)] == [200] * 3
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == db.log.name] == [
        (logging.INFO, "Database available again")
    ]
