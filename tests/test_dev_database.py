"""Docker tier: the compose frameworks' database tasks in the dev loop, run by the project's own make targets
against `make run`'s database, whether `make run` is up or not (issue 24, items 5 and 6).

FastAPI: `make migration` autogenerates a revision from an edited model into the project, the user's file,
passing ruff as written, and `make migrate` applies it. Django: `make createsuperuser` makes an admin who
logs in to the dev server, and `make manage` runs any manage.py command.
"""

import http.cookiejar
import os
import re
import secrets
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import CHOICES, bake, fetch, run
from standin import uses_standin
from test_devloop import DevStack, background, wait_for_body

pytestmark = pytest.mark.docker


def answers(framework: str) -> dict[str, str]:
    """The framework on the default Python with the first package manager built without the stand-in: the
    targets run compose's own files, which the stand-in's environments would have to join."""
    manager = next(m for m in CHOICES["package_manager"] if not uses_standin({"package_manager": m}))
    return {"framework": framework, "package_manager": manager, "python_version": CHOICES["python_version"][0]}


@pytest.fixture
def stack(request, docker_engine, cookies) -> Iterator[DevStack]:
    """The framework's (the parameter) project with `make run`'s compose project named for the suite."""
    chosen = answers(request.param)
    stack = DevStack(docker_engine, bake(cookies, **chosen), chosen)
    try:
        yield stack
    finally:
        stack.remove()


def make(stack: DevStack, *args: str, env: dict[str, str] | None = None, check: bool = True):
    return run("make", *args, cwd=stack.project, env=stack.env | (env or {}), check=check)


@pytest.mark.parametrize("stack", ["fastapi"], indirect=True)
def test_fastapi_make_migration_writes_a_linted_revision_of_yours_and_make_migrate_applies_it(stack, tmp_path):
    """Alembic on the host cannot reach compose's Postgres, and `docker compose run migrate` ran a stale image."""
    project = stack.project
    unnamed = make(stack, "migration", check=False)
    assert unnamed.returncode == 2 and 'make migration MESSAGE="' in unnamed.stderr, unnamed.stderr
    # make run is not up: compose starts the database and migrates it first, each image built as the code is.
    assert make(stack, "alembic", "ARGS=current").stdout.splitlines()[-1] == "0001 (head)"
    [models] = [path for path in project.glob("*/models.py") if path.parent.name != "tests"]
    table = '    __tablename__ = "items"\n'
    models.write_text(models.read_text().replace(table, f"{table}\n    price: Mapped[int | None]\n", 1))
    versions = project / "migrations" / "versions"
    before = set(versions.iterdir())
    # Built again: the revision is made from the model as edited.
    make(stack, "migration", "MESSAGE=add items.price")
    [revision] = set(versions.iterdir()) - before
    assert revision.name.endswith("_add_items_price.py")
    assert (revision.stat().st_uid, revision.stat().st_gid) == (os.getuid(), os.getgid())
    assert 'op.add_column("items", sa.Column("price", sa.Integer(), nullable=True))' in revision.read_text()
    run("ruff", "check", "--no-cache", revision, cwd=project)
    run("ruff", "format", "--no-cache", "--check", revision, cwd=project)
    # The migrate step's image, built before the revision was written, is built again.
    assert "Running upgrade 0001 -> " in make(stack, "migrate").stderr
    columns = "SELECT data_type FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'price'"
    assert stack.psql(columns) == "integer"
    log = tmp_path / "make-run.log"
    with background(["make", "run"], project, stack.env, log):
        assert '"ok"' in wait_for_body(stack.url("/health"), '"ok"'), log.read_text()[-3000:]
        # Listing items selects every column of the model, the new one too.
        status, _, body = fetch(stack.url("/items")())
        assert (status, body) == (200, b"[]"), log.read_text()[-3000:]


def admin_page(base: str, username: str, password: str) -> str:
    """The page Django's admin answers after logging in with these credentials, following its redirect."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/admin/login/", timeout=10) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    with opener.open(f"{base}/admin/login/", urllib.parse.urlencode(fields).encode(), timeout=10) as response:
        return response.read().decode()


@pytest.mark.parametrize("stack", ["django"], indirect=True)
def test_django_make_createsuperuser_makes_an_admin_who_logs_in_and_make_manage_runs_commands(stack, tmp_path):
    """Every attempt to create a superuser from the host failed: the dev database is compose's."""
    user = {"DJANGO_SUPERUSER_USERNAME": f"admin-{secrets.token_hex(4)}",
            "DJANGO_SUPERUSER_EMAIL": "admin@example.com",
            "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16)}  # fmt: skip
    log = tmp_path / "make-run.log"
    with background(["make", "run"], stack.project, stack.env, log):
        assert '"ok"' in wait_for_body(stack.url("/health"), '"ok"'), log.read_text()[-3000:]
        created = make(stack, "createsuperuser", env=user)
        assert "Superuser created successfully." in created.stdout, created.stdout + created.stderr
        page = admin_page(stack.url("")(), user["DJANGO_SUPERUSER_USERNAME"], user["DJANGO_SUPERUSER_PASSWORD"])
        assert "<title>Site administration | Django site admin</title>" in page, page[-2000:]
    # make run is down: compose starts the database again for the command.
    shown = make(stack, "manage", "ARGS=showmigrations notes")
    assert shown.stdout.splitlines()[-2:] == ["notes", " [X] 0001_initial"], shown.stdout
