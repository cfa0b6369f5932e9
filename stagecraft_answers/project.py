"""The project an answer set makes, read from this checkout's template before anything is written: the
files its layers give it (the post-gen hook's own table, hooks/post_gen_project.py), and from them the
names its package must not take.

Read at each check: cruft renders an old commit and the new one from one checkout. Only the compiled ignore
files are kept, by Jinja, which compiles a file again once its modification time changes.
"""

import ast
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "{{cookiecutter.project_slug}}"
PACKAGE = "{{cookiecutter.package_name}}"


def layers(answers: dict) -> list[str]:
    """The layer folders these answers choose, as the post-gen hook's CHOSEN table names them."""
    hook = ast.parse((ROOT / "hooks" / "post_gen_project.py").read_text())
    table = next(node.value for node in hook.body if isinstance(node, ast.Assign) and node.targets[0].id == "CHOSEN")
    answer = re.compile(r"{{ cookiecutter\.(\w+) }}")
    return [answer.sub(lambda match: answers[match[1]], layer) for layer in ast.literal_eval(table)]


def files(answers: dict) -> dict[Path, Path]:
    """Every file of the project, by its path in the project (its package folder still named PACKAGE), with
    the template's file it is made from."""
    found = {path.relative_to(TEMPLATE): path for path in TEMPLATE.iterdir() if path.is_file()}
    for layer in layers(answers):
        source = TEMPLATE / "_layers" / layer
        found |= {path.relative_to(source): path for path in source.rglob("*") if path.is_file()}
    return dict(sorted(found.items()))


def own_names(answers: dict, sources: dict[Path, Path]) -> dict[str, str]:
    """Each name the project's own top-level folders and Python modules take, with the first path that
    takes it: a package of that name would merge into the folder, or shadow the module (tests/conftest.py,
    test modules and manage.py are imported by their bare names) or be shadowed by it in its own code.
    `sources` is files(answers)."""
    names: dict[str, str] = {}
    for path in sources:
        if len(path.parts) > 1:
            names.setdefault(path.parts[0], f"{path.parts[0]}/")
        if path.suffix == ".py":
            for depth, folder in enumerate(path.parts[:-1], start=1):
                names.setdefault(folder, "/".join(path.parts[:depth]) + "/")
            names.setdefault(path.stem, path.as_posix())
    names.pop(PACKAGE, None)
    return {name: where.replace(PACKAGE, answers["package_name"]) for name, where in names.items()}


# As cookiecutter renders them (cookiecutter.json's _jinja2_env_vars, and its own keep_trailing_newline).
IGNORE_FILES = Environment(
    loader=FileSystemLoader([TEMPLATE, ROOT / "templates"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def ignored_names(answers: dict, sources: dict[Path, Path]) -> dict[str, str]:
    """Each folder name the project's .gitignore or .dockerignore leaves out, with the file that does: a
    package of that name would be missing from the repository or from the image. `sources` is files(answers)."""
    names: dict[str, str] = {}
    for name in (".gitignore", ".dockerignore"):
        template = IGNORE_FILES.get_template(sources[Path(name)].relative_to(TEMPLATE).as_posix())
        text = template.render(cookiecutter=answers)
        for line in text.splitlines():
            if re.fullmatch(r"[a-z_][a-z0-9_]*", pattern := line.strip().removeprefix("**/").rstrip("/")):
                names.setdefault(pattern, name)
    return names
