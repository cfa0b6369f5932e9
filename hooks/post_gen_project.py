"""Assemble the project from the layers chosen by the answers, then drop the rest.

Every layer under _layers/ mirrors the project root and its files move into
place. A choice without a folder (e.g. ci=none) adds nothing.
"""

import re
import shutil
from pathlib import Path

# fmt: off
# Rendered by cookiecutter as Python string literals (stagecraft_answers' filter).
SLUG = {{ cookiecutter.project_slug | python_string }}
VERSION = {{ cookiecutter.version | python_string }}
# fmt: on

LAYERS = Path("_layers")
# answer -> layer folder
CHOSEN = [
    "framework/{{ cookiecutter.framework }}",
    "manager/{{ cookiecutter.package_manager }}",
    "pair/{{ cookiecutter.framework }}-{{ cookiecutter.package_manager }}",
    "lock/{{ cookiecutter.framework }}-{{ cookiecutter.package_manager }}-{{ cookiecutter.python_version }}",
    "ci/{{ cookiecutter.ci }}",
    "license/{{ cookiecutter.license }}",
]

for layer in CHOSEN:
    source = LAYERS / layer
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = path.relative_to(source)
        if target.exists():
            raise SystemExit(f"ERROR: two layers both provide {target} (a template bug)")
        target.parent.mkdir(parents=True, exist_ok=True)
        path.replace(target)
shutil.rmtree(LAYERS)

# uv.lock names the project itself. The template's locks are made for the default answers and copied
# without rendering (rendering megabytes of locks slowed every generation): the project's own entry
# gets its name and version here.
LOCK = Path("uv.lock")
PROJECT_ENTRY = re.compile(r'^name = "[^"]*"\nversion = "[^"]*"(?=\nsource = \{ virtual = "\." \})', re.MULTILINE)
if LOCK.exists():
    LOCK.write_text(PROJECT_ENTRY.sub(f'name = "{SLUG}"\nversion = "{VERSION}"', LOCK.read_text(), count=1))
