"""The tests, and the settings they run with (tests/settings.py)."""
