import contextlib
import logging
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from {{ cookiecutter.package_name }} import database
from {{ cookiecutter.package_name }}.notes.models import Note
from {{ cookiecutter.package_name }}.notes.views import NoteListView


def test_health_answers_whatever_the_host(client: Client) -> None:
    response = client.get("/health", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_answers_whatever_the_host_while_the_database_does(client: Client) -> None:
    response = client.get("/ready", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_not_ready_but_alive_while_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unreachable() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    caplog.set_level(logging.WARNING)
    assert [client.get("/ready").status_code for _ in range(3)] == [503] * 3
    assert client.get("/health").status_code == 200
    # Once when readiness changes, not once per probe, and no error line of Django's for each.
    logged = [r.getMessage() for r in caplog.records if r.name.endswith((".health", ".request"))]
    assert logged == ["Not ready: database unavailable: connection refused"]


@pytest.mark.django_db
def test_page_lists_notes_and_loads_the_bundle(client: Client) -> None:
    Note.objects.create(title="First")
    Note.objects.create(title="Second")
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Second") < page.index("First")
    assert 'src="/static/main.js"' in page
    assert 'href="/static/main.css"' in page


@pytest.mark.django_db
def test_empty_page_points_to_the_admin(client: Client) -> None:
    assert "/admin/notes/note/add/" in client.get("/").content.decode()


@pytest.mark.django_db
def test_admin_manages_notes(admin_client: Client) -> None:
    response = admin_client.post("/admin/notes/note/add/", {"title": "From the admin", "body": ""})
    assert response.status_code == 302
    assert Note.objects.get().title == "From the admin"


@pytest.mark.django_db
def test_admin_requires_login(client: Client) -> None:
    assert client.get("/admin/notes/note/").status_code == 302
    assert client.get("/admin/login/").status_code == 200
    assert User.objects.count() == 0


@contextlib.contextmanager
def database_offline() -> Iterator[None]:
    """Every new connection is refused at once inside the block; after it the database is back."""
    connection.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        patch.setitem(connection.settings_dict, "PORT", "1")
        yield


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/admin/notes/note/"), ("POST", "/admin/notes/note/add/")],
)
def test_unreachable_database_is_503_with_retry_after(
    admin_client: Client, method: str, path: str
) -> None:
    with database_offline():
        response = admin_client.generic(method, path, "title=Offline")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"cannot reach its database" in response.content


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_logs_once_when_it_starts_and_once_when_it_ends(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with database_offline():
        assert [client.get("/").status_code for _ in range(3)] == [503] * 3
    [down] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (down.name, down.levelno) == (database.log.name, logging.WARNING)
    assert down.getMessage().startswith("Database unavailable, answering 503: ")
    caplog.clear()
    assert [client.get("/").status_code for _ in range(3)] == [200] * 3
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == database.log.name] == [
        (logging.INFO, "Database available again")
    ]


def test_other_database_errors_keep_their_500(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug (bad SQL, a missing table) is not an outage: it stays a 500, with its traceback."""

    def broken(view: NoteListView) -> None:
        raise ProgrammingError('relation "notes_note" does not exist')

    monkeypatch.setattr(NoteListView, "get_queryset", broken)
    assert Client(raise_request_exception=False).get("/").status_code == 500
