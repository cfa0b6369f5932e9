"""Fast tier: a generated project's `make template-update`, run for real against a local template repository.

The script commits cruft's result on the template-update branch for review. A rerun builds on that branch
while it is open, so nobody's commits on it are lost; and it finds conflicts in the files itself, as cruft
exits 0 and `cruft check` passes with them left.
"""

# The fixtures template and project come from test_cruft: tests name them as parameters, which pyflakes takes
# for redefinitions of the imported names.
# ruff: noqa: F811

import subprocess
from pathlib import Path

from conftest import run
from test_cruft import GIT_ENV, commit_all, edit, git, project, template  # noqa: F401 (fixtures)

ROUTES = "{{cookiecutter.project_slug}}/_layers/package/flask/{{cookiecutter.package_name}}/routes.py"
GUNICORN = "templates/server/gunicorn.conf.py"


def template_update(project: Path) -> subprocess.CompletedProcess:
    """The project's own `make template-update`, as CI runs it."""
    return run("make", "--silent", "template-update", cwd=project, env=GIT_ENV, check=False)


def say_plainly(template: Path) -> str:
    """A template change every project takes cleanly; returns its commit."""
    edit(template / ROUTES, "as long as the process can serve requests", "while the process serves requests")
    return commit_all(template, "Say plainly when the app is healthy")


def keepalive_conflict(template: Path, project: Path) -> str:
    """The project renames a setting on main, the template changes that line: returns the template's commit."""
    edit(project / "gunicorn.conf.py", 'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("KEEPALIVE", 5)')
    commit_all(project, "our own keepalive setting")
    edit(template / GUNICORN, 'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("GUNICORN_KEEPALIVE", 65)')
    return commit_all(template, "Keep connections alive longer")


def resolve_keepalive(project: Path) -> str:
    """A person's resolution of keepalive_conflict on the branch: our name, the template's value."""
    path = project / "gunicorn.conf.py"
    lines = path.read_text().splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith("<<<<<<< "))
    end = next(n for n, line in enumerate(lines) if line.startswith(">>>>>>> "))
    ours = lines[start + 1 : next(n for n, line in enumerate(lines) if line.startswith("======="))]
    resolved = [line.replace('"KEEPALIVE", 5', '"KEEPALIVE", 65') for line in ours]
    path.write_text("".join(lines[:start] + resolved + lines[end + 1 :]))
    assert 'whole_number("KEEPALIVE", 65)' in path.read_text()
    return commit_all(project, "Keep our setting's name, take the template's keepalive")


def sha(repo: Path, ref: str) -> str:
    return git("rev-parse", ref, cwd=repo).strip()


def test_template_update_makes_a_branch_and_reports_conflicts(template: Path, project: Path):
    up_to_date = template_update(project)
    assert (up_to_date.returncode, up_to_date.stdout) == (0, "")
    assert git("branch", "--show-current", cwd=project) == "main\n"
    clean_commit = say_plainly(template)

    clean = template_update(project)

    assert clean.returncode == 0, clean.stderr
    assert f"- {clean_commit[:7]} Say plainly when the app is healthy" in clean.stdout.splitlines()
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    changed = git("diff", "--name-only", "main", "template-update", cwd=project).split()
    assert changed == [".cruft.json", "my_service/routes.py"]
    assert '+    """Liveness: answers while the process serves requests."""' in git("diff", "main", cwd=project)
    assert git("status", "--porcelain", cwd=project) == ""

    # The update is merged; then a template change to a line the project changed too.
    git("switch", "--quiet", "main", cwd=project)
    git("merge", "--quiet", "--no-ff", "--no-edit", "template-update", cwd=project)
    conflicting_commit = keepalive_conflict(template, project)

    conflicting = template_update(project)

    assert conflicting.returncode != 0, conflicting.stdout + conflicting.stderr
    report = conflicting.stdout.splitlines()
    assert report[:3] == [f"Brings in the template's changes from `{clean_commit}` to `{conflicting_commit}`:", "",
                          f"- {conflicting_commit[:7]} Keep connections alive longer"]  # fmt: skip
    assert report[-1] == "- `gunicorn.conf.py`"
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    assert git("merge-base", "main", "template-update", cwd=project) == git("rev-parse", "main", cwd=project)
    assert "<<<<<<<" in (project / "gunicorn.conf.py").read_text()  # committed with its markers, for review
    assert git("status", "--porcelain", cwd=project) == ""


def test_a_rerun_builds_on_the_open_branch_and_keeps_its_resolution(template: Path, project: Path):
    conflicting_commit = keepalive_conflict(template, project)
    first = template_update(project)
    assert first.returncode != 0, first.stdout + first.stderr
    conflicted = sha(project, "template-update")

    # Rerun on the branch, where cruft's record names the template's commit already: it still fails.
    assert run("cruft", "check", cwd=project, check=False).returncode == 0
    on_branch = template_update(project)

    assert on_branch.returncode != 0, on_branch.stderr
    assert on_branch.stdout.splitlines()[0].startswith("These files did not take the template's changes cleanly")
    assert on_branch.stdout.splitlines()[-1] == "- `gunicorn.conf.py`"

    # Rerun from main before anyone resolves it: the branch stays as it is, and so does the report.
    git("switch", "--quiet", "main", cwd=project)
    again = template_update(project)

    assert again.returncode != 0, again.stderr
    assert again.stdout == first.stdout
    assert sha(project, "template-update") == conflicted

    # A person resolves the conflict on the branch; the next run, from main, keeps it.
    git("switch", "--quiet", "template-update", cwd=project)
    resolution = resolve_keepalive(project)
    git("switch", "--quiet", "main", cwd=project)

    rerun = template_update(project)

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stdout.splitlines()[-1] == f"- {conflicting_commit[:7]} Keep connections alive longer"
    assert sha(project, "template-update") == resolution

    # The template moves on again: its commits go on top of the resolution.
    git("switch", "--quiet", "main", cwd=project)
    clean_commit = say_plainly(template)

    moved = template_update(project)

    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert moved.stdout.splitlines()[-2:] == [f"- {clean_commit[:7]} Say plainly when the app is healthy",
                                              f"- {conflicting_commit[:7]} Keep connections alive longer"]  # fmt: skip
    assert sha(project, "template-update~1") == resolution
    assert 'whole_number("KEEPALIVE", 65)' in (project / "gunicorn.conf.py").read_text()
    assert "while the process serves requests" in (project / "my_service/routes.py").read_text()


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
