from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.config import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Long enough an interval that a test only ever sees the first unit of work."""
    return Settings(
        interval_seconds=60, heartbeat_file=tmp_path / "heartbeat", heartbeat_timeout_seconds=120
    )
