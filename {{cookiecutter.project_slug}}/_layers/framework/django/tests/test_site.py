import logging

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client

from {{ cookiecutter.package_name }}.notes.models import Note


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
