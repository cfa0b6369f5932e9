"""Assemble the project from the layers chosen by the answers, then drop the rest.

Every layer under _layers/ mirrors the project root and its files move into
place. A choice without a folder (ci=none, deploy=compose) adds nothing.
cookiecutter renders every layer before this runs, so the package folder has a
layer of its own (package/): beside another folder, a package of that folder's
name would stop the rendering of every project.
"""

import shutil
from pathlib import Path

LAYERS = Path("_layers")
# answer -> layer folder
CHOSEN = [
    "framework/{{ cookiecutter.framework }}",
    "package/{{ cookiecutter.framework }}",
    "manager/{{ cookiecutter.package_manager }}",
    "pair/{{ cookiecutter.framework }}-{{ cookiecutter.package_manager }}",
    "ci/{{ cookiecutter.ci }}",
    "deploy/{{ cookiecutter.deploy }}",
    "deploy/{{ cookiecutter.deploy }}-{{ cookiecutter.framework }}",
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
