"""Docker tier: the Makefile's targets that run images and the tests' database, run as a user runs them.

`make test`'s Postgres is gone once the tests end, pass or fail, unless `make db` started it. One project per
framework, on the first package manager and Python.
"""

import re
import subprocess
import uuid
from pathlib import Path

import pytest
from conftest import CHOICES, bake, compose_down, compose_env, run
from facts import framework_facts

pytestmark = pytest.mark.docker

POSTGRES = [framework for framework in CHOICES["framework"] if framework_facts({"framework": framework}).postgres]


def answers(framework: str) -> dict[str, str]:
    return {
        "framework": framework,
        "package_manager": CHOICES["package_manager"][0],
        "python_version": CHOICES["python_version"][0],
    }


def compose_containers(project: Path, env: dict[str, str]) -> list[str]:
    return run("docker", "ps", "--all", "--format", "{{.Names}}", "--filter",
               f"label=com.docker.compose.project={env['COMPOSE_PROJECT_NAME']}").stdout.split()  # fmt: skip


@pytest.mark.parametrize("framework", POSTGRES)
def test_make_test_removes_its_throwaway_database_pass_or_fail(docker_engine, cookies, tmp_path, framework):
    """Issue 24, item 12: `make test`'s Postgres kept running until `make down`."""
    project = bake(cookies, **answers(framework))
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    env = compose_env(project) | {"COMPOSE_PROJECT_NAME": name, "IMAGE": name}
    # What `make test` hands pytest, through a stand-in for the project's pytest that passes or fails.
    (tmp_path / "pytest").write_text('#!/bin/sh\necho "DATABASE_URL=$DATABASE_URL"\nexit "${OUTCOME:-0}"\n')
    (tmp_path / "pytest").chmod(0o755)

    def make_test(*args: str, outcome: int = 0) -> subprocess.CompletedProcess:
        return run("make", "test", f"BIN={tmp_path}", "INSTALL=", *args, cwd=project, check=False,
                   env=env | {"OUTCOME": str(outcome)})  # fmt: skip

    try:
        for outcome in (0, 1):
            tested = make_test(outcome=outcome)
            assert (tested.returncode == 0) == (outcome == 0), tested.stdout + tested.stderr
            assert re.search(r"^DATABASE_URL=postgresql://app:app@127\.0\.0\.1:\d+/app_test$", tested.stdout,
                             re.MULTILINE), tested.stdout  # fmt: skip
            assert compose_containers(project, env) == [], outcome
        # The one `make db` started is the user's: `make test` uses it and leaves it to `make down`.
        run("make", "db", cwd=project, env=env)
        assert make_test().returncode == 0
        assert compose_containers(project, env) == [f"{name}-test-db-1"]
        run("make", "down", cwd=project, env=env)
        # The devcontainer brings its own database and has no Docker: none is started.
        tested = make_test("TEST_DB=", "TEST_DATABASE_URL=postgresql://app:app@elsewhere:5432/app_test")
        assert tested.returncode == 0 and "DATABASE_URL=postgresql://app:app@elsewhere:5432/app_test" in tested.stdout
        assert compose_containers(project, env) == []
    finally:
        compose_down(docker_engine, project, env)
