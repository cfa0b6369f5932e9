"""Issue 17, item 4: a lock behind what it is made from (a dependency added without `make lock`) stops
pre-commit, CI and every image build, each saying to run `make lock`; the locks the template ships pass."""

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, COMBINATIONS, HOST_PYTHON, bake, combo_id, run
from facts import ci_suite, manager_facts
from standin import uses_standin

combinations = pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)
# What every manager's check says when it fails.
SAYS = re.compile("run make lock", re.IGNORECASE)
# The dependency the tests add without relocking: the issue's own.
ADDED = "rich"


def stages(dockerfile: str) -> dict[str, tuple[str, str]]:
    """Each stage of a Dockerfile by name: the stage or image it starts from, and its text."""
    found = {}
    for block in re.split(r"^(?=FROM )", dockerfile, flags=re.M)[1:]:
        start, name = re.match(r"FROM (\S+) AS (\S+)", block).groups()
        found[name] = (start, block)
    return found


def needs(found: dict[str, tuple[str, str]], stage: str) -> set[str]:
    """The stages building `stage` builds: the one it starts from and those it copies from, transitively."""
    start, text = found[stage]
    direct = {start, *re.findall(r"--from=(\S+)", text)} & found.keys()
    return {stage}.union(*(needs(found, name) for name in direct))


@combinations
def test_pre_commit_runs_the_managers_lock_check(baked, combo):
    """CI's lint jobs (GitHub and GitLab) run these hooks on every file, so CI runs it too."""
    facts, project = manager_facts(combo), baked[combo_id(combo)]
    hooks = {hook["id"]: hook for repo in yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
             for hook in repo["hooks"]}  # fmt: skip
    hook = hooks["lock-check"]
    assert hook["entry"] == f'sh -c "{facts.lock_check}"'
    assert not re.search(r'["`\\]', facts.lock_check), 'sh -c "..." would change the command'
    assert hook["pass_filenames"] is False
    for name in facts.lock_files:
        assert re.search(hook["files"], name), f"a change to {name} does not run the check"
    for pipeline in ci_suite(combo).pipelines:
        assert "pre-commit run --all-files" in (project / pipeline).read_text(), pipeline


@combinations
def test_every_image_build_runs_the_lock_check(baked, combo):
    """The test stage (CI's test job builds it) and production both build a stage that runs the check
    before anything is installed from the lock."""
    facts, project = manager_facts(combo), baked[combo_id(combo)]
    found = stages((project / "Dockerfile").read_text())
    for target in ("test", "production"):
        checked = [name for name in needs(found, target) if facts.lock_check in found[name][1]]
        assert checked, f"building {target} never runs the lock check"
        for name in checked:
            text = found[name][1]
            installs = re.search(r"(sync|install) --(locked|require-hashes)", text)
            assert installs and text.index(facts.lock_check) < installs.start(), f"{name} installs before checking"
    for pipeline in ci_suite(combo).pipelines:
        assert re.search(r"target: test|--target test|--profile test run", (project / pipeline).read_text()), pipeline


# Conda ships no lock (pixi cannot run here to write one). uv's check needs an interpreter the project
# accepts, which this machine may lack (3.14): those locks are checked where that Python is, by every
# image build's lock step (Docker tier) and by test_committed_locks_are_current (project tier).
CHECKABLE_HERE = [
    combo
    for combo in COMBINATIONS
    if not uses_standin(combo)
    and (combo["package_manager"] != "uv" or shutil.which(f"python{combo['python_version']}"))
]


@pytest.mark.parametrize("combo", CHECKABLE_HERE, ids=combo_id)
def test_the_shipped_locks_pass_the_check(baked, combo):
    """As generated, with the suite's uv and Poetry (the hooks' versions)."""
    facts, project = manager_facts(combo), baked[combo_id(combo)]
    run("sh", "-c", facts.lock_check, cwd=project)


def add_dependency(project: Path) -> None:
    """ADDED among the runtime dependencies, where each manager lists them, without relocking."""
    listed = project / "requirements" / "base.in"
    if listed.exists():
        listed.write_text(listed.read_text() + f"{ADDED}\n")
        return
    pyproject = project / "pyproject.toml"
    listing = f'dependencies = [\n    "{ADDED}",'
    text, added = re.subn(r"^dependencies = \[", listing, pyproject.read_text(), count=1, flags=re.M)
    assert added, "no dependencies = [ in pyproject.toml"
    pyproject.write_text(text)


# One combination per manager whose check runs here.
CHECKED_STALE = list({combo["package_manager"]: combo for combo in reversed(CHECKABLE_HERE)}.values())[::-1]


@pytest.mark.parametrize("combo", CHECKED_STALE, ids=combo_id)
def test_a_stale_lock_fails_the_check_saying_first_to_run_make_lock(baked, combo, tmp_path):
    """Issue 27, item 8: uv's check began with its resolver's "unsatisfiable" lines (offline, nothing in its
    cache), Poetry's with Poetry's advice, pip's with the files behind; the line saying what to do came last.
    It comes first, as pre-commit, CI and an image build print it, and the tool's own account follows."""
    facts = manager_facts(combo)
    project = shutil.copytree(baked[combo_id(combo)], tmp_path / "project")
    add_dependency(project)
    (tmp_path / "cache").mkdir()
    caches = {"UV_OFFLINE": "1", "UV_CACHE_DIR": str(tmp_path / "cache"), "POETRY_CACHE_DIR": str(tmp_path / "cache")}
    ran = subprocess.run(["sh", "-c", facts.lock_check], cwd=project, env={**os.environ, **caches},
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    lines = ran.stdout.splitlines()
    assert (ran.returncode, lines[0]) == (1, facts.lock_behind), ran.stdout
    assert len(lines) > 1, "the tool's own account is gone"


HOST_MANAGERS = [
    {"framework": "minimal", "package_manager": manager, "python_version": HOST_PYTHON}
    for manager in CHOICES["package_manager"]
    if not uses_standin({"package_manager": manager})
]


@pytest.mark.project
@pytest.mark.parametrize("answers", HOST_MANAGERS, ids=combo_id)
def test_a_stale_lock_fails_the_hook_until_make_lock(cookies, answers: dict[str, str], tmp_path):
    project = bake(cookies, **answers)
    run("git", "init", "--quiet", cwd=project)

    def hook(**env: str):
        run("git", "add", "-A", cwd=project)
        ran = run("pre-commit", "run", "lock-check", "--all-files", cwd=project, env=env, check=False)
        return ran.returncode, ran.stdout + ran.stderr

    status, output = hook()
    assert status == 0, output
    add_dependency(project)
    # Offline with nothing in uv's cache, as in issue 27, item 8: the hook's first line still says what to do.
    status, output = hook(UV_OFFLINE="1", UV_CACHE_DIR=str(tmp_path / "empty"))
    said = output.split("\n\n", 1)[1].splitlines()  # after pre-commit's lines naming the hook and its status
    assert status != 0 and said[0] == manager_facts(answers).lock_behind, output
    run("make", "lock", cwd=project)
    status, output = hook()
    assert status == 0, output
    assert ADDED in "".join((project / name).read_text() for name in manager_facts(answers).lock_files)


@pytest.mark.docker
def test_a_stale_pip_lock_fails_the_test_stage_build(docker_engine, cookies):
    """Tagged with a name of the suite's own, so that an image built anyway (the check missing) is removed."""
    answers = {"framework": "minimal", "package_manager": "pip", "python_version": CHOICES["python_version"][0]}
    project = bake(cookies, **answers)
    add_dependency(project)
    tag = f"stagecraft-suite-locks-{uuid.uuid4().hex[:12]}"
    try:
        built = run(docker_engine, "buildx", "build", "--progress=plain", "--load", "--tag", tag, "--target", "test",
                    ".", cwd=project, check=False)  # fmt: skip
    finally:
        run(docker_engine, "image", "rm", "--force", tag, check=False)
    output = built.stdout + built.stderr
    assert built.returncode != 0, output
    assert SAYS.search(output), output
