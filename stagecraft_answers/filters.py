"""The filters the templates use, by name."""

from stagecraft_answers import formats, locks, rules

FILTERS = {
    "python_string": formats.python_string,
    "docstring": formats.docstring,
    "toml_string": formats.toml_string,
    "markdown": formats.markdown,
    "check_answers": rules.check_answers,
    "shipped_lock": locks.shipped_lock,
    "uv_project_entry": locks.uv_project_entry,
}
