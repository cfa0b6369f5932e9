"""What stagecraft's Jinja extension adds to cookiecutter's environment: the filters the templates use, by
name, and configure(). The extension (__init__.py) knows this module by these two names only."""

from stagecraft_answers import files, formats, locks, rules

FILTERS = {
    "python_string": formats.python_string,
    "docstring": formats.docstring,
    "toml_string": formats.toml_string,
    "markdown": formats.markdown,
    "yaml_string": formats.yaml_string,
    "verbatim": files.verbatim,
    "check_answers": rules.check_answers,
    "shipped_lock": locks.shipped_lock,
    "uv_project_entry": locks.uv_project_entry,
}

configure = rules.configure
