"""A package manager's facts, read from the template itself (templates/manager/<manager>/manager.jinja),
so the suite, scripts/lock-template and the benchmarks know a manager only through what the generated
projects are made from."""

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


@cache
def _facts(manager: str, framework: str, python_version: str) -> ModuleType:
    # Each choice's first value; private keys (the _extensions list among them) as they are.
    answers = {k: v[0] if isinstance(v, list) and not k.startswith("_") else v for k, v in CONTEXT.items()}
    answers |= {"package_manager": manager, "framework": framework, "python_version": python_version}
    env = StrictEnvironment(context={"cookiecutter": answers}, loader=FileSystemLoader(ROOT / "templates"),
                            **CONTEXT["_jinja2_env_vars"])  # fmt: skip
    return env.get_template(f"manager/{manager}/manager.jinja").make_module({"cookiecutter": answers})


def manager_facts(answers: dict[str, str]) -> ModuleType:
    """The facts of answers' package manager, for its framework and Python (the defaults where not given)."""
    pick = {key: answers.get(key, CONTEXT[key][0]) for key in ("package_manager", "framework", "python_version")}
    return _facts(pick["package_manager"], pick["framework"], pick["python_version"])


def managers() -> list[ModuleType]:
    """Every package manager's facts (default framework and Python)."""
    return [manager_facts({"package_manager": manager}) for manager in CONTEXT["package_manager"]]


def suite_env() -> dict[str, str]:
    """What the managers' resolvers need on the suite's machines (the locker, make install, exports)."""
    return {name: value for manager in managers() for name, value in manager.suite_env.items()}
