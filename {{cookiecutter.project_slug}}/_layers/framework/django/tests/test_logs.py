import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from {{ cookiecutter.package_name }} import logs
from {{ cookiecutter.package_name }}.wsgi import application

# Requests through wsgi.py check and close the connections as under gunicorn (Django's
# request_started and request_finished signals), which a test's transaction would not survive.
pytestmark = pytest.mark.django_db(transaction=True)
Get = Callable[[str, dict[str, str]], tuple[int, dict[str, str]]]
# A page that needs no database: the access line is what is tested.
REQUEST_PATH = "/no-such-page"


@pytest.fixture
def get() -> Get:
    """A request through wsgi.py's application, as gunicorn sends it."""

    def get(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        environ: dict[str, Any] = {"PATH_INFO": path, "HTTP_HOST": "testserver"}
        environ |= {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
        setup_testing_defaults(environ)
        started: list[Any] = []
        body = application(environ, lambda status, sent, *_: started.extend([status, sent]))
        b"".join(body)
        status, sent = started
        return int(status.split()[0]), {name.lower(): value for name, value in sent}

    return get


{% include "server/test-logs.py" %}


{% include "server/test-access.py" %}


{% include "server/test-gunicorn.py" %}


EXAMPLE_SECRET = (PROJECT / ".env.example").read_text().split("DJANGO_SECRET_KEY=")[1].split()[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", ""),
        ("DATABASE_URL", "mysql://app@db/app"),
        ("DATABASE_CONNECT_TIMEOUT", "soon"),
        ("DJANGO_SECRET_KEY", EXAMPLE_SECRET),
    ],
)
def test_a_missing_or_wrong_setting_stops_with_one_line(name: str, value: str) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "{{ cookiecutter.package_name }}.settings",
        # Production's checks, even where the environment turns debug on (.env, the devcontainer).
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "example.com",
        name: value,
    }
    assert_one_line_naming(check_gunicorn_config(**env), name)
    managed = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert_one_line_naming(managed, name)
