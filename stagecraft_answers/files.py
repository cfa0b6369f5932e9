"""Files under `templates/` that a project gets as they are, never rendered as Jinja.

Helm's templates are Go templates: their `{{ ... }}` is Helm's, and Jinja would take it for its own. A
chart's layer holds one line per such file, this filter, and the file itself lives where the rest of
its framework's or deployment's pieces do.
"""

from jinja2 import pass_context
from jinja2.runtime import Context


@pass_context
def verbatim(context: Context, name: str) -> str:
    """The text of `templates/<name>` as it is on disk, found by the template loader (cookiecutter's:
    the project folder, then `templates/`, also under cruft)."""
    environment = context.environment
    return environment.loader.get_source(environment, name)[0]
