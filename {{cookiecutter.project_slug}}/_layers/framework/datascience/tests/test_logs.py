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

from {{ cookiecutter.package_name }}.serving import logs

Get = Callable[[str, dict[str, str]], tuple[int, dict[str, str]]]
REQUEST_PATH = "/metadata"


@pytest.fixture
def get(client: TestClient) -> Get:
    def get(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        response = client.get(path, headers=headers)
        return response.status_code, dict(response.headers)

    return get


{% include "server/test-logs.py" %}


{% include "server/test-access.py" %}


{% include "server/test-gunicorn.py" %}
