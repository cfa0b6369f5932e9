import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command


def test_system_checks_pass() -> None:
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    """Fails when a model changed without a migration (`python manage.py makemigrations`)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {"DJANGO_ALLOWED_HOSTS": "example.com", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import {{ cookiecutter.package_name }}.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_collectstatic_settings_keep_every_app_with_static_files() -> None:
    """The image collects static files with collectstatic_settings: it must keep every static/."""
    from django.apps import apps

    from {{ cookiecutter.package_name }} import collectstatic_settings

    static = [app.name for app in apps.get_app_configs() if (Path(app.path) / "static").is_dir()]
    assert [name for name in static if name not in collectstatic_settings.INSTALLED_APPS] == []
