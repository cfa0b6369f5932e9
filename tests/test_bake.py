"""Fast tier: every combination of answers bakes into exactly the files it should, all clean."""

import hashlib
import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from checks import HELM_TEMPLATES
from conftest import CHOICES, COMBINATIONS, LONGEST_NAMES, ROOT, combo_id, on_the_longest_names_worker, run, run_once
from facts import CONTEXT, ci_suite, framework_suite, manager_facts, manager_suite
from pytest_cookies.plugin import Cookies

from stagecraft_answers import rules

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
    # deploy=kubernetes's files depend on the framework too: deploy_files() below.
    "deploy": {"compose": set(), "kubernetes": set()},
}  # fmt: skip
LAYERS = ROOT / "{{cookiecutter.project_slug}}" / "_layers"
PACKAGE = "my_service"
LEFTOVER = re.compile(r"\{\{|\{%|cookiecutter")
# Braces that belong to a generated file's own syntax: GitHub expressions, metadata-action patterns,
# Go templates of docker's --format.
NATIVE_BRACES = re.compile(r"\$\{\{|pattern=\{\{|--format '\{\{")
# Django templates and Helm's are all braces; a leftover there still shows as the word "cookiecutter".
BRACE_TEMPLATES = (".html",)

combinations = pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)


# Files a per-file check below found clean, by check, name and content digest. Most files are byte for byte
# alike across the combinations, and these checks read a file's name and content only: each distinct one is
# checked once per worker. A file with problems is never recorded, so it fails every combination it is in.
CLEAN: set[tuple[str, str, bytes]] = set()


def per_file(check, project: Path) -> list[str]:
    """`check(name, text)`'s problems for every file of the project, skipping those it found clean before."""
    problems = []
    for name in sorted(files(project)):
        data = (project / name).read_bytes()
        key = (check.__name__, name, hashlib.sha256(data).digest())
        if key not in CLEAN:
            found = check(name, data.decode())
            problems += found
            if not found:
                CLEAN.add(key)
    return problems


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


def deploy_files(combo: dict[str, str]) -> set[str]:
    """A deployment's part of a project: its layer, and its layer with the framework (the chart's pieces)."""
    deploy, pair = combo["deploy"], f"{combo['deploy']}-{combo['framework']}"
    return files(LAYERS / "deploy" / deploy) | files(LAYERS / "deploy" / pair)


@combinations
def test_exact_file_set(baked, combo):
    expected = set(COMMON) | manager_files(combo) | deploy_files(combo)
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


def suite_words(name: str, text: str) -> list[str]:
    return [f"{name}: {word}" for word in sorted(SUITE_ONLY) if word in text]


@combinations
def test_no_project_names_what_only_the_suite_needs(baked, combo):
    assert per_file(suite_words, baked[combo_id(combo)]) == []


def template_syntax_left(name: str, text: str) -> list[str]:
    def left(line: str) -> bool:
        if name.startswith(HELM_TEMPLATES):  # Go templates: {{ }} is Helm's, {% %} never is
            return "{%" in line or "cookiecutter" in line
        if name.endswith(BRACE_TEMPLATES):
            return "cookiecutter" in line
        return bool(LEFTOVER.search(NATIVE_BRACES.sub("", line)))

    return [f"{name}:{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1) if left(line)]


@combinations
def test_no_template_syntax_left(baked, combo):
    assert per_file(template_syntax_left, baked[combo_id(combo)]) == []


PARSERS = {".toml": tomllib.loads, ".yml": yaml.safe_load, ".yaml": yaml.safe_load, ".json": json.loads}


def does_not_parse(name: str, text: str) -> list[str]:
    # Helm's templates are YAML once Helm renders them (test_chart.py checks what they render).
    parse = None if name.startswith(HELM_TEMPLATES) else PARSERS.get(Path(name).suffix)
    try:
        parse and parse(text)
    except (ValueError, yaml.YAMLError) as error:  # tomllib's and json's errors are ValueErrors
        return [f"{name}: {error}"]
    return []


@combinations
def test_structured_files_parse(baked, combo):
    project = baked[combo_id(combo)]
    structured = {name for name in files(project) if Path(name).suffix in PARSERS}
    assert {"pyproject.toml", ".pre-commit-config.yaml"} <= structured
    assert per_file(does_not_parse, project) == []
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["requires-python"] == (
        f">={combo['python_version']}"
    )


def untidy(name: str, text: str) -> list[str]:
    """What pre-commit's hygiene hooks would change: trailing spaces, blank-line runs, missing final newline."""
    problems = []
    if text and (not text.endswith("\n") or text.endswith("\n\n")):
        problems.append(f"{name}: must end with exactly one newline")
    lines = text.splitlines()
    problems += [f"{name}:{n}: trailing whitespace" for n, line in enumerate(lines, 1) if line != line.rstrip()]
    if not name.endswith((".py", ".py.mako", "LICENSE")) and "\n\n\n" in text:  # PEP 8 wants two in Python
        problems.append(f"{name}: two blank lines in a row")
    return problems


@combinations
def test_text_files_are_tidy(baked, combo):
    assert per_file(untidy, baked[combo_id(combo)]) == []


@combinations
def test_ruff_is_clean(baked, ran, combo):
    project = baked[combo_id(combo)]
    python_files = sorted(name for name in files(project) if name.endswith((".py", ".ipynb", "pyproject.toml")))
    run_once(ran, project, python_files, "ruff", "check", "--no-cache", ".")
    run_once(ran, project, python_files, "ruff", "format", "--no-cache", "--check", ".")


@combinations
def test_hadolint_is_clean(baked, ran, combo):
    run_once(ran, baked[combo_id(combo)], ["Dockerfile"], "hadolint", "--failure-threshold", "info", "Dockerfile")


def test_the_longest_names_are_the_longest_the_answers_take():
    """LONGEST_NAMES are accepted, and a character more is refused: the bakes below are at the limit."""
    answers = {key: value[0] if isinstance(value, list) else value for key, value in CONTEXT.items() if key[0] != "_"}
    answers |= LONGEST_NAMES | {"docker_image": LONGEST_NAMES["project_slug"]}
    assert list(rules.problems(answers)) == []
    for key in ("project_slug", "package_name"):
        refused = rules.problems(answers | {key: answers[key] + "s"})
        assert [problem.split()[0] for problem in refused] == [key]


@pytest.mark.parametrize("framework", [on_the_longest_names_worker(name) for name in CHOICES["framework"]])
def test_the_longest_names_bake_clean(longest, framework):
    """Issue 27: at the longest package name FastAPI's tests had a line ruff refused (E501) and would reformat.
    Every framework bakes its files with the longest names as cleanly as with the default ones: tidy, parsed,
    no template syntax left, ruff check and ruff format --check clean, hadolint clean."""
    project = longest[framework]
    assert per_file(untidy, project) + per_file(does_not_parse, project) + per_file(template_syntax_left, project) == []
    run("ruff", "check", "--no-cache", ".", cwd=project)
    run("ruff", "format", "--no-cache", "--check", ".", cwd=project)
    run("hadolint", "--failure-threshold", "info", "Dockerfile", cwd=project)


def locked_version(ran: Path, project: Path, combo: dict[str, str], name: str) -> str:
    """The version a project's development lock pins for a package, as its package manager exports it;
    where the template ships no lock (pixi), the exact version pixi.toml gives its dev feature."""
    facts = manager_facts(combo)
    if not facts.shipped_locks:
        return tomllib.loads((project / "pixi.toml").read_text())["feature"]["dev"]["dependencies"][name].lstrip("=")
    export = shlex.split(manager_suite(combo).export_dev)
    exported = run_once(ran, project, [*facts.shipped_locks, "pyproject.toml"], *export)
    return re.search(rf"^{name}==([^\s;]+)", exported, re.MULTILINE).group(1)


@combinations
def test_pre_commit_config_is_valid_and_pins_the_locked_ruff(baked, ran, combo):
    project = baked[combo_id(combo)]
    run_once(ran, project, [".pre-commit-config.yaml"], "pre-commit", "validate-config", ".pre-commit-config.yaml")
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hook_pins = {
        pin for repo in config["repos"] for hook in repo["hooks"] for pin in hook.get("additional_dependencies", [])
    }
    assert f"ruff=={locked_version(ran, project, combo, 'ruff')}" in hook_pins


@pytest.mark.parametrize("preset", sorted((ROOT / "variants").glob("*.yaml")), ids=lambda path: path.stem)
def test_preset_bakes_its_answers(tmp_path, preset):
    answers = yaml.safe_load(preset.read_text())["default_context"]
    # A preset is a cookiecutter config file (`--config-file`), which pytest-cookies takes per Cookies
    # (its fixtures bring their own): this one bakes with the preset's.
    result = Cookies(str(ROOT), lambda name: (tmp_path / name).mkdir() or tmp_path / name, preset).bake()
    assert result.exit_code == 0, result.exception
    project = result.project_path
    assert (project / ".python-version").read_text().strip() == answers["python_version"]
    # Every lock the template ships for these answers, and none it leaves to `make install` (conda's).
    facts = manager_facts(answers)
    assert sorted(name for name in facts.lock_files if (project / name).is_file()) == sorted(facts.shipped_locks)
    assert files(project) >= {
        name.format(pkg=project.name.replace("-", "_")) for name in BY_ANSWER["framework"][answers["framework"]]
    }
