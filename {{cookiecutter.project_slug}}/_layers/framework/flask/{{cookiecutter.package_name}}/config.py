"""Defaults for every setting; the environment overrides them as FLASK_<NAME>.

Values in the environment are parsed as JSON when they can be, so
FLASK_MAX_NAME_LENGTH=20 is the integer 20 (see Flask's from_prefixed_env).
"""


class Config:
    # The word the greeting route starts with.
    GREETING = "Hello"
    # Longest name the greeting route accepts.
    MAX_NAME_LENGTH = 64
