"""What the suite knows of a package manager, a framework or a CI provider, read from the template itself: the facts the
generated files are made from (templates/<axis>/<name>/<axis>.jinja) and the suite's own (suite.jinja beside
them), so the suite, scripts/lock-template and the benchmarks know an answer only through its folder."""

import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from cookiecutter.environment import StrictEnvironment
from jinja2 import FileSystemLoader

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = json.loads((ROOT / "cookiecutter.json").read_text())
# cookiecutter.json's _extensions (stagecraft_answers) import from the template root, as cookiecutter puts it
# on sys.path while it renders; the suite renders templates itself and checks the answer rules directly.
sys.path.insert(0, str(ROOT))
# The answers that pick a facts file or change what it says.
PICKED = ("package_manager", "framework", "python_version", "ci")


@cache
def _module(template: str, *picked: str) -> ModuleType:
    # Each choice's first value; private keys (the _extensions list among them) as they are.
    answers = {k: v[0] if isinstance(v, list) and not k.startswith("_") else v for k, v in CONTEXT.items()}
    answers |= dict(zip(PICKED, picked, strict=True))
    env = StrictEnvironment(context={"cookiecutter": answers}, loader=FileSystemLoader(ROOT / "templates"),
                            **CONTEXT["_jinja2_env_vars"])  # fmt: skip
    return env.get_template(template.format(**answers)).make_module({"cookiecutter": answers})


def _facts(template: str, answers: dict[str, str]) -> ModuleType:
    """A facts file, rendered for answers (the defaults where not given)."""
    return _module(template, *(answers.get(key, CONTEXT[key][0]) for key in PICKED))


def manager_facts(answers: dict[str, str]) -> ModuleType:
    """What answers' package manager tells the shared templates (manager.jinja)."""
    return _facts("manager/{package_manager}/manager.jinja", answers)


def manager_suite(answers: dict[str, str]) -> ModuleType:
    """What only the suite knows of answers' package manager (its suite.jinja): exports, locker, stand-in."""
    return _facts("manager/{package_manager}/suite.jinja", answers)


def framework_facts(answers: dict[str, str]) -> ModuleType:
    """What answers' framework tells the shared templates (framework.jinja)."""
    return _facts("framework/{framework}/framework.jinja", answers)


def framework_suite(answers: dict[str, str]) -> ModuleType:
    """What only the suite knows of answers' framework (its suite.jinja): files, smoke checks, ops settings."""
    return _facts("framework/{framework}/suite.jinja", answers)


def ci_suite(answers: dict[str, str]) -> ModuleType:
    """What only the suite knows of answers' CI provider (its suite.jinja): its files and their schemas."""
    return _facts("ci/{ci}/suite.jinja", answers)


def managers() -> list[ModuleType]:
    """Every package manager's suite facts (default framework and Python)."""
    return [manager_suite({"package_manager": manager}) for manager in CONTEXT["package_manager"]]


def suite_env() -> dict[str, str]:
    """What the managers' resolvers need on the suite's machines (the locker, make install, exports)."""
    return {name: value for manager in managers() for name, value in manager.suite_env.items()}
