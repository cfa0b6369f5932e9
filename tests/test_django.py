"""Docker tier, Django variant: production settings pass Django's deploy checks, and the compose
stack serves the page, its hashed and compressed static files and the admin from Postgres."""

import re

import pytest
from conftest import run, running_stack

pytestmark = pytest.mark.docker

PRODUCTION_ENV = {"DJANGO_ALLOWED_HOSTS": "example.com", "DATABASE_URL": "postgresql://app:app@db:5432/app"}


@pytest.fixture(scope="module")
def stack(docker_engine, cookies_session):
    with running_stack(docker_engine, cookies_session, framework="django") as stack:
        yield stack


@pytest.fixture(scope="module")
def image(stack) -> str:
    return stack.inspect("app", "{{.Config.Image}}")


def in_image(stack, image: str, *command: str, env: dict[str, str] | None = None, check: bool = True):
    flags = [f"--env={key}={value}" for key, value in (env or {}).items()]
    return run(stack.docker, "run", "--rm", *flags, "--entrypoint", command[0], image, *command[1:], check=check)


def test_deploy_checks_pass_with_production_settings(stack, image):
    env = PRODUCTION_ENV | {"DJANGO_SECRET_KEY": stack.env["DJANGO_SECRET_KEY"]}
    result = in_image(stack, image, "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(stack, image):
    result = in_image(stack, image, "python", "manage.py", "check", env=PRODUCTION_ENV, check=False)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_migrations_ran_as_their_own_step(stack):
    assert stack.inspect("migrate", "{{.State.Status}} {{.State.ExitCode}}") == "exited 0"
    assert "Applying notes.0001_initial... OK" in stack.compose("logs", "migrate").stdout


def test_page_uses_hashed_static_files_served_compressed_by_whitenoise(stack):
    status, _, body = stack.fetch("/")
    assert status == 200
    page = body.decode()
    script = re.search(r'src="(/static/main\.[0-9a-f]{12}\.js)"', page)
    assert script, page
    assert re.search(r'href="/static/main\.[0-9a-f]{12}\.css"', page)
    status, headers, compressed = stack.fetch(script.group(1), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")
    status, _, plain = stack.fetch(script.group(1))
    assert status == 200 and b"DOMContentLoaded" in plain and len(compressed) < len(plain)


def test_admin_login_page_answers(stack):
    status, _, body = stack.fetch("/admin/login/")
    assert status == 200
    assert b'name="username"' in body


def test_production_holds_no_node(stack, image):
    probe = (
        "import os, shutil; print([p for p in ('node', 'npm', 'npx') if shutil.which(p)]"
        " + [p for p in ('/app/node_modules', '/usr/local/lib/node_modules', '/app/frontend') if os.path.exists(p)])"
    )
    assert in_image(stack, image, "python", "-c", probe).stdout.strip() == "[]"
