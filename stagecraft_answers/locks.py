"""The lock files a project ships, read from `templates/lock/<framework>-<manager>-<python>/`.

Each manager's layer holds one small file per lock file name, whose content is this filter: a bake
reads the one chosen lock and no other (rendering or copying every lock before the post-gen hook dropped
all but one cost a bake most of its time). The lock's text is returned as it is on disk, never parsed
as Jinja: locks are megabytes, and nothing in them is ours to render.
"""

import re

from jinja2 import pass_context
from jinja2.runtime import Context


@pass_context
def shipped_lock(context: Context, answers: dict, name: str, **layer: str) -> str:
    """The text of the lock file `name` that scripts/lock-template wrote for the answers' framework, package
    manager and Python, found by the template loader (cookiecutter's: the project folder, then `templates/`,
    also under cruft). `layer` is the answers that choose the layer the calling file is in: cookiecutter
    renders the unchosen layers too before the post-gen hook drops them, and those read nothing."""
    if any(answers[key] != value for key, value in layer.items()):
        return ""
    folder = f"{answers['framework']}-{answers['package_manager']}-{answers['python_version']}"
    environment = context.environment
    return environment.loader.get_source(environment, f"lock/{folder}/{name}")[0]


# uv.lock names the project itself: the entry whose source is the project's own folder. The template's
# locks are made for the default answers, so that entry takes the project's name and version.
UV_PROJECT_ENTRY = re.compile(r'^name = "[^"]*"\nversion = "[^"]*"(?=\nsource = \{ virtual = "\." \})', re.MULTILINE)


def uv_project_entry(lock: str, name: str, version: str) -> str:
    return UV_PROJECT_ENTRY.sub(lambda _: f'name = "{name}"\nversion = "{version}"', lock, count=1)
