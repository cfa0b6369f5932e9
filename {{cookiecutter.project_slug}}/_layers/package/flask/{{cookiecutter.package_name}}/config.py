"""Defaults for every setting; the environment overrides them as FLASK_<NAME>.

Values in the environment are parsed as JSON when they can be, so
FLASK_MAX_NAME_LENGTH=20 is the integer 20 (see Flask's from_prefixed_env).
"""

from collections.abc import Mapping
from typing import Any


class Config:
    # The word the greeting route starts with.
    GREETING = "Hello"
    # Longest name the greeting route accepts.
    MAX_NAME_LENGTH = 64


def check(config: Mapping[str, Any]) -> None:
    """Stop the start, with one line naming the variable, on a value the routes cannot use."""
    longest = config["MAX_NAME_LENGTH"]
    if isinstance(longest, bool) or not isinstance(longest, int) or longest < 1:
        raise SystemExit(f"error: FLASK_MAX_NAME_LENGTH={longest!r} must be a whole number")
    if not isinstance(config["GREETING"], str) or not config["GREETING"].strip():
        raise SystemExit(f"error: FLASK_GREETING={config['GREETING']!r} must be some text")
