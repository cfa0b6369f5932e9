import logging
import re
import tomllib
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.cli import main

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_version_is_the_projects(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    assert capsys.readouterr().out == f"{project['name']} {project['version']}\n"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    listed = re.findall(r"^ {4}(\w+) ", capsys.readouterr().out, re.MULTILINE)
    assert listed == ["run", "once", "health"]


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "required: command" in capsys.readouterr().err


def test_once_does_one_unit_of_work(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert main(["once"]) == 0
    assert caplog.messages == ["Did one unit of work"]


def test_bad_settings_stop_it_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INTERVAL_SECONDS", "soon")
    assert main(["run"]) == 1
    assert capsys.readouterr().err == "error: INTERVAL_SECONDS='soon' is not a number of seconds\n"


def test_health_answers_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    heartbeat = tmp_path / "heartbeat"
    monkeypatch.setenv("HEARTBEAT_FILE", str(heartbeat))
    assert main(["health"]) == 1
    assert capsys.readouterr().out.startswith("no heartbeat at")
    heartbeat.touch()
    assert main(["health"]) == 0
