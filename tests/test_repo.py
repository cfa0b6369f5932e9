"""Fast tier: the template repository's own code (hooks, answer rules, suite, scripts, benchmarks) is lint-clean."""

import re
from pathlib import Path

from conftest import CONTEXT, ROOT, run
from facts import manager_facts

PROJECT = ROOT / "{{cookiecutter.project_slug}}"
# CI installing a tool of its own (not the project's dependencies) on the job's Python names no manager.
TOOL_INSTALL = re.compile(r"\bpip install (?:cruft|kubernetes-validate|checkov)==")

# The scripts written in Python (the others are sh).
SCRIPTS = ["scripts/ci-local", "scripts/lock-template", "scripts/update-confusables", "scripts/uv"]
OWN_CODE = ["hooks", "stagecraft_answers", "tests", *SCRIPTS, "benchmarks"]


def test_own_code_passes_ruff():
    run("ruff", "check", "--no-cache", *OWN_CODE, cwd=ROOT)
    run("ruff", "format", "--no-cache", "--check", *OWN_CODE, cwd=ROOT)


def test_the_look_alikes_python_strings_escape_are_ruffs():
    """stagecraft_answers escapes what ruff's RUF001/RUF002 flag; the list is read from ruff itself."""
    run("scripts/update-confusables", "--check", cwd=ROOT)


def test_own_dockerfiles_pass_hadolint():
    run("hadolint", "tests/locker.Dockerfile", cwd=ROOT)


def test_shared_templates_leave_package_managers_to_their_folders():
    """Only a manager's own folders (templates/manager/<m>/, its layers, the locks in templates/lock/) name it,
    its lock files or their folders: every shared file takes such facts from the manager's manager.jinja."""
    managers = CONTEXT["package_manager"]
    named = set(managers)
    for manager in managers:
        named |= {
            path
            for name in manager_facts({"package_manager": manager}).lock_files
            for path in (name, name.split("/")[0] + "/")
        }
    word = re.compile("|".join(rf"(?<![\w.-]){re.escape(name)}(?![\w-])" for name in sorted(named)))
    own = re.compile(r"templates/(manager|lock)/|_layers/(manager|pair)/")
    shared = [path for path in sorted((ROOT / "templates").rglob("*")) + sorted(PROJECT.rglob("*"))
              if path.is_file() and not own.search(path.relative_to(ROOT).as_posix())]  # fmt: skip
    assert len(shared) > 50
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in shared
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if word.search(TOOL_INSTALL.sub("", line))
    ]
    assert found == []


def template_files(own: re.Pattern[str]) -> list[Path]:
    """Every file a project is made from (templates/ and the project folder) whose path `own` does not match."""
    paths = sorted((ROOT / "templates").rglob("*")) + sorted(PROJECT.rglob("*"))
    return [path for path in paths if path.is_file() and not own.search(path.relative_to(ROOT).as_posix())]


def test_shared_templates_leave_frameworks_to_their_folders():
    """Only a framework's own folders (templates/framework/<f>/, its layers, package, pairs and chart layers, its
    locks in templates/lock/) name it: every shared file takes what differs by framework from its framework.jinja."""
    word = re.compile("|".join(rf"(?<![\w.-]){re.escape(name)}(?![\w-])" for name in CONTEXT["framework"]))
    own = re.compile(r"templates/(framework|lock)/|_layers/(framework|package|pair)/|_layers/deploy/\w+-")
    shared = template_files(own)
    assert len(shared) > 50
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in shared
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if word.search(line)
    ]
    assert found == []


def test_no_template_imports_the_suites_facts():
    """suite.jinja (beside each manager.jinja and framework.jinja) holds what only the suite checks: nothing a
    project is made from reads it, so a change there never changes a generated file."""
    readers = [path for path in template_files(re.compile(r"/suite\.jinja$")) if "suite.jinja" in path.read_text()]
    assert readers == []


def test_scripts_uv_fetches_the_uv_the_projects_pin():
    """scripts/uv (the README's commands on a machine without uv) and uv projects move together."""
    pinned = re.search(r'^UV_VERSION = "(.+)"$', (ROOT / "scripts" / "uv").read_text(), re.MULTILINE).group(1)
    assert pinned == manager_facts({"package_manager": "uv"}).version
