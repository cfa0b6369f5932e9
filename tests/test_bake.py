"""Fast tier: every combination of answers bakes into exactly the files it should, all clean."""

import hashlib
import json
import os
import re
import shlex
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, COMBINATIONS, ROOT, combo_id, run
from cookiecutter.main import cookiecutter
from facts import ci_suite, framework_suite, manager_facts, manager_suite

# The exact file set of a generated project: what every project has, plus what each answer adds.
COMMON = {
    ".dockerignore", ".gitignore", ".pre-commit-config.yaml", ".python-version",
    "Dockerfile", "LICENSE", "Makefile", "README.md", "pyproject.toml", "template-update.sh",
    ".devcontainer/devcontainer.json",
}  # fmt: skip
BY_ANSWER = {
    # A framework's and a CI provider's files are in their suite facts (templates/<axis>/<name>/suite.jinja).
    "framework": {name: set(framework_suite({"framework": name}).files) for name in CHOICES["framework"]},
    "ci": {name: set(ci_suite({"ci": name}).files) for name in CHOICES["ci"]},
    "license": {"MIT": set(), "Apache-2.0": set(), "BSD-3-Clause": set(), "Proprietary": set()},
    "python_version": {"3.14": set(), "3.13": set(), "3.12": set(), "3.11": set()},
}  # fmt: skip
LAYERS = ROOT / "{{cookiecutter.project_slug}}" / "_layers"
PACKAGE = "my_service"
LEFTOVER = re.compile(r"\{\{|\{%|cookiecutter")
# Braces that belong to a generated file's own syntax: GitHub expressions, metadata-action patterns,
# Go templates of docker's --format.
NATIVE_BRACES = re.compile(r"\$\{\{|pattern=\{\{|--format '\{\{")
# Django templates are all braces; a leftover there still shows as the word "cookiecutter".
BRACE_TEMPLATES = (".html",)

combinations = pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)
# Tool runs already passed, by command and the exact content they read: many combinations share
# their Python files or Dockerfile byte for byte, and those need checking only once.
PASSED: set[tuple[str, ...]] = set()


def once_per_content(project: Path, names: list[str], *command: str) -> None:
    digest = hashlib.sha256(b"".join(name.encode() + (project / name).read_bytes() for name in names)).hexdigest()
    if (key := (*command, digest)) not in PASSED:
        run(*command, cwd=project)
        PASSED.add(key)


def files(project: Path) -> set[str]:
    return {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}


def test_spec_covers_every_answer_in_cookiecutter_json():
    assert {key: set(values) for key, values in CHOICES.items() if key != "package_manager"} == {
        key: set(values) for key, values in BY_ANSWER.items()
    }


def test_every_answer_meets_every_framework_and_package_manager():
    for axis in ("framework", "package_manager"):
        for key, values in ((key, values) for key, values in CHOICES.items() if key != axis):
            met = {(combo[axis], combo[key]) for combo in COMBINATIONS}
            assert met == {(a, v) for a in CHOICES[axis] for v in values}, f"{key} x {axis}"


def manager_files(combo: dict[str, str]) -> set[str]:
    """A package manager's part of a project: its layer, its layer with the framework, and its locks."""
    manager, pair = combo["package_manager"], f"{combo['framework']}-{combo['package_manager']}"
    return files(LAYERS / "manager" / manager) | files(LAYERS / "pair" / pair) | set(manager_facts(combo).shipped_locks)


@combinations
def test_exact_file_set(baked, combo):
    expected = set(COMMON) | manager_files(combo)
    for answer, value in combo.items():
        expected |= {name.format(pkg=PACKAGE) for name in BY_ANSWER.get(answer, {}).get(value, set())}
    assert files(baked[combo_id(combo)]) == expected


def suite_only_words() -> set[str]:
    """What only the managers' suite facts name: their resolvers' settings on the suite's machines, the export
    commands the suite compares images with, and locker tools no project uses (Poetry's mirror plugin)."""
    project_tools = {tool for manager in CHOICES["package_manager"]
                     for tool in manager_facts({"package_manager": manager}).lock_check_tools or []}  # fmt: skip
    words = set()
    for manager in CHOICES["package_manager"]:
        suite = manager_suite({"package_manager": manager})
        words |= set(suite.suite_env) | (set(suite.locker_tools) - project_tools)
        words |= {getattr(suite, name) for name in ("export_runtime", "export_dev") if hasattr(suite, name)}
    return words


SUITE_ONLY = suite_only_words()


def test_suite_only_words_are_there_to_look_for():
    assert {"POETRY_PYPI_MIRROR_URL", "poetry-plugin-pypi-mirror==0.6.5"} <= SUITE_ONLY


@combinations
def test_no_project_names_what_only_the_suite_needs(baked, combo):
    project = baked[combo_id(combo)]
    found = {
        f"{name}: {word}"
        for name in sorted(files(project))
        for word in SUITE_ONLY
        if word in (project / name).read_text(errors="replace")
    }
    assert found == set()


@combinations
def test_no_template_syntax_left(baked, combo):
    project = baked[combo_id(combo)]
    leftovers = [
        f"{name}:{number}: {line.strip()}"
        for name in sorted(files(project))
        for number, line in enumerate((project / name).read_text().splitlines(), 1)
        if ("cookiecutter" in line if name.endswith(BRACE_TEMPLATES) else LEFTOVER.search(NATIVE_BRACES.sub("", line)))
    ]
    assert leftovers == []


@combinations
def test_structured_files_parse(baked, combo):
    project = baked[combo_id(combo)]
    # A file that does not parse raises here; test_exact_file_set already says which files there are.
    for path in sorted(project.rglob("*")):
        if path.suffix == ".toml":
            tomllib.loads(path.read_text())
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(path.read_text())
        elif path.suffix == ".json":
            json.loads(path.read_text())
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["requires-python"] == (
        f">={combo['python_version']}"
    )


@combinations
def test_text_files_are_tidy(baked, combo):
    """What pre-commit's hygiene hooks would change: trailing spaces, blank-line runs, missing final newline."""
    project = baked[combo_id(combo)]
    problems = []
    for name in sorted(files(project)):
        text = (project / name).read_text()
        if text and (not text.endswith("\n") or text.endswith("\n\n")):
            problems.append(f"{name}: must end with exactly one newline")
        lines = text.splitlines()
        problems += [f"{name}:{n}: trailing whitespace" for n, line in enumerate(lines, 1) if line != line.rstrip()]
        if not name.endswith((".py", ".py.mako", "LICENSE")) and "\n\n\n" in text:  # PEP 8 wants two in Python
            problems.append(f"{name}: two blank lines in a row")
    assert problems == []


@combinations
def test_ruff_is_clean(baked, combo):
    project = baked[combo_id(combo)]
    python_files = sorted(name for name in files(project) if name.endswith((".py", ".ipynb", "pyproject.toml")))
    once_per_content(project, python_files, "ruff", "check", "--no-cache", ".")
    once_per_content(project, python_files, "ruff", "format", "--no-cache", "--check", ".")


@combinations
def test_hadolint_is_clean(baked, combo):
    once_per_content(baked[combo_id(combo)], ["Dockerfile"], "hadolint", "--failure-threshold", "info", "Dockerfile")


@pytest.fixture(scope="session")
def dev_exports(baked) -> dict[str, str]:
    """Each combination's development pins, as its package manager exports them (where the template ships
    a lock), by combo_id. The exports run side by side: Poetry's take most of a second each."""
    shipped = [combo for combo in COMBINATIONS if manager_facts(combo).shipped_locks]

    def export(combo: dict[str, str]) -> str:
        return run(*shlex.split(manager_suite(combo).export_dev), cwd=baked[combo_id(combo)]).stdout

    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return dict(zip(map(combo_id, shipped), pool.map(export, shipped), strict=True))


def locked_version(project: Path, combo: dict[str, str], name: str, dev_exports: dict[str, str]) -> str:
    """The version a project's development lock pins for a package, as its package manager exports it;
    where the template ships no lock (pixi), the exact version pixi.toml gives its dev feature."""
    if not manager_facts(combo).shipped_locks:
        return tomllib.loads((project / "pixi.toml").read_text())["feature"]["dev"]["dependencies"][name].lstrip("=")
    return re.search(rf"^{name}==([^\s;]+)", dev_exports[combo_id(combo)], re.MULTILINE).group(1)


@combinations
def test_pre_commit_config_is_valid_and_pins_the_locked_ruff(baked, dev_exports, combo):
    project = baked[combo_id(combo)]
    once_per_content(project, [".pre-commit-config.yaml"], "pre-commit", "validate-config", ".pre-commit-config.yaml")
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hook_pins = {
        pin for repo in config["repos"] for hook in repo["hooks"] for pin in hook.get("additional_dependencies", [])
    }
    assert f"ruff=={locked_version(project, combo, 'ruff', dev_exports)}" in hook_pins


@pytest.mark.parametrize("preset", sorted((ROOT / "variants").glob("*.yaml")), ids=lambda path: path.stem)
def test_preset_bakes_its_answers(tmp_path, preset):
    answers = yaml.safe_load(preset.read_text())["default_context"]
    project = Path(cookiecutter(str(ROOT), no_input=True, config_file=str(preset), output_dir=str(tmp_path)))
    assert (project / ".python-version").read_text().strip() == answers["python_version"]
    # Every lock the template ships for these answers, and none it leaves to `make install` (conda's).
    facts = manager_facts(answers)
    assert sorted(name for name in facts.lock_files if (project / name).is_file()) == sorted(facts.shipped_locks)
    assert files(project) >= {
        name.format(pkg=project.name.replace("-", "_")) for name in BY_ANSWER["framework"][answers["framework"]]
    }
