#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

from {{ cookiecutter.package_name }} import logs

if __name__ == "__main__":
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE",
        "{{ cookiecutter.package_name }}.settings",
    )
    from django.core.management import execute_from_command_line

    logs.configure()
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A missing or wrong setting: one line naming it, not a traceback.
        sys.exit(f"error: {error}")
