"""Fast tier: a generated project's `make template-update`, run for real against a local template repository."""

# The fixtures template and project come from test_cruft: tests name them as parameters, which pyflakes takes
# for redefinitions of the imported names.
# ruff: noqa: F811

import subprocess
from pathlib import Path

from conftest import run
from test_cruft import GIT_ENV, commit_all, edit, git, project, template  # noqa: F401 (fixtures)


def template_update(project: Path) -> subprocess.CompletedProcess:
    """The project's own `make template-update`, as CI runs it."""
    return run("make", "--silent", "template-update", cwd=project, env=GIT_ENV, check=False)


def test_template_update_makes_a_branch_and_reports_conflicts(template: Path, project: Path):
    up_to_date = template_update(project)
    assert (up_to_date.returncode, up_to_date.stdout) == (0, "")
    assert git("branch", "--show-current", cwd=project) == "main\n"
    # A template change the project takes cleanly.
    edit(template / "{{cookiecutter.project_slug}}/_layers/package/flask/{{cookiecutter.package_name}}/routes.py",
         "as long as the process can serve requests", "while the process serves requests")  # fmt: skip
    clean_commit = commit_all(template, "Say plainly when the app is healthy")

    clean = template_update(project)

    assert clean.returncode == 0, clean.stderr
    assert f"- {clean_commit[:7]} Say plainly when the app is healthy" in clean.stdout.splitlines()
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    changed = git("diff", "--name-only", "main", "template-update", cwd=project).split()
    assert changed == [".cruft.json", "my_service/routes.py"]
    assert '+    """Liveness: answers while the process serves requests."""' in git("diff", "main", cwd=project)
    assert git("status", "--porcelain", cwd=project) == ""

    # A template change to a line the project changed too.
    git("switch", "--quiet", "main", cwd=project)
    edit(project / "gunicorn.conf.py", 'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("KEEPALIVE", 5)')
    commit_all(project, "our own keepalive setting")
    edit(template / "templates/server/gunicorn.conf.py",
         'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("GUNICORN_KEEPALIVE", 65)')  # fmt: skip
    conflicting_commit = commit_all(template, "Keep connections alive longer")

    conflicting = template_update(project)

    assert conflicting.returncode != 0, conflicting.stdout + conflicting.stderr
    report = conflicting.stdout.splitlines()
    assert f"- {clean_commit[:7]} Say plainly when the app is healthy" in report
    assert f"- {conflicting_commit[:7]} Keep connections alive longer" in report
    assert report[-1] == "- `gunicorn.conf.py`"
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    assert "<<<<<<<" in (project / "gunicorn.conf.py").read_text()  # committed with its markers, for review
    assert git("status", "--porcelain", cwd=project) == ""
