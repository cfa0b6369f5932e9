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


def test_conflicts_fail_the_update_even_when_cruft_says_up_to_date(project: Path):
    # An update merged with its conflicts left: markers in a file and a *.rej file; cruft's record is current.
    edit(project / "gunicorn.conf.py", 'keepalive = whole_number("GUNICORN_KEEPALIVE", 5)\n',
         '<<<<<<< ours\nkeepalive = 5\n=======\nkeepalive = 65\n>>>>>>> theirs\n')  # fmt: skip
    (project / "my_service/config.py.rej").write_text("@@ -1 +1 @@\n-a\n+b\n")
    merged = commit_all(project, "merge the update as it was")
    assert run("cruft", "check", cwd=project, check=False).returncode == 0

    on_main = template_update(project)

    assert on_main.returncode != 0, on_main.stdout + on_main.stderr
    assert on_main.stdout.splitlines() == [
        "These files did not take the template's changes cleanly: resolve the conflict markers, or apply",
        "each `.rej` file's hunks by hand and delete it, then commit on this branch.",
        "",
        "- `gunicorn.conf.py`",
        "- `my_service/config.py.rej`",
    ]
    assert git("branch", "--show-current", cwd=project) == "main\n"  # no update branch to propose

    # Resolved. Left: a page whose attribute makes git write longer markers, as it holds seven-character ones.
    git("revert", "--no-edit", merged, cwd=project)
    (project / "docs").mkdir()
    (project / "docs/merging.md").write_text("A conflict looks like this:\n\n<<<<<<< ours\n")
    with (project / ".gitattributes").open("a") as attributes:
        attributes.write("docs/merging.md conflict-marker-size=32\n")
    commit_all(project, "a page about merging")
    clean = template_update(project)
    assert (clean.returncode, clean.stdout) == (0, ""), clean.stderr
    (project / "docs/merging.md").write_text(f"{'<' * 32} ours\n{'=' * 32}\n{'>' * 32} theirs\n")
    commit_all(project, "a real conflict in that page")

    long_markers = template_update(project)

    assert long_markers.returncode != 0, long_markers.stderr
    assert long_markers.stdout.splitlines()[-1] == "- `docs/merging.md`"
