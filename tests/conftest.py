"""What every tier shares: the answer combinations (read from cookiecutter.json) and baking."""

import itertools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = json.loads((ROOT / "cookiecutter.json").read_text())
# Every question with a fixed list of answers, in cookiecutter.json's order.
CHOICES = {key: value for key, value in CONTEXT.items() if isinstance(value, list) and not key.startswith("_")}
COMBINATIONS = [dict(zip(CHOICES, values, strict=True)) for values in itertools.product(*CHOICES.values())]
# The Python the host runs; other versions are exercised inside Docker.
HOST_PYTHON = "3.11"


def combo_id(combo: dict[str, str]) -> str:
    return "-".join(combo.values())


def pairs() -> list[dict[str, str]]:
    """One answer set per framework x package manager, on the host's Python."""
    return [
        {"framework": framework, "package_manager": manager, "python_version": HOST_PYTHON}
        for framework, manager in itertools.product(CHOICES["framework"], CHOICES["package_manager"])
    ]


def bake(output_dir: Path, **answers: str) -> Path:
    """Generate a project with the defaults plus `answers`; returns the project directory."""
    return Path(cookiecutter(str(ROOT), no_input=True, extra_context=answers, output_dir=str(output_dir)))


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True):
    """Run a command, capturing its output; on failure the output is in the assertion message."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if check:
        shown = " ".join(map(str, command))
        assert result.returncode == 0, f"{shown} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def baked(cookies_session) -> dict[str, Path]:
    """Every combination of choices, baked once for the whole session, by combo_id."""
    projects = {}
    for combo in COMBINATIONS:
        result = cookies_session.bake(extra_context=combo)
        assert result.exit_code == 0, f"{combo_id(combo)}: {result.exception}"
        projects[combo_id(combo)] = result.project_path
    return projects


@pytest.fixture(scope="session")
def docker_engine() -> str:
    """The docker CLI, once an engine answers; otherwise skip, or fail when REQUIRE_DOCKER=1."""
    docker = shutil.which("docker")
    reason = "no docker CLI on PATH" if docker is None else None
    if docker:
        info = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True)
        if info.returncode != 0:
            reason = f"no Docker engine answers ({(info.stderr.strip() or 'docker info failed').splitlines()[-1]})"
    if reason:
        if os.environ.get("REQUIRE_DOCKER") == "1":
            pytest.fail(f"REQUIRE_DOCKER=1 but {reason}")
        pytest.skip(f"{reason}: start one with ../shared/offline-images/build-base-images")
    return docker
