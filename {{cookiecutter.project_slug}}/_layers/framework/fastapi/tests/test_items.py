from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from {{ cookiecutter.package_name }}.db import get_session
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import get_settings


def create(client: TestClient, **fields: object) -> dict:
    response = client.post("/items", json={"name": "widget", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_then_read_back(client: TestClient) -> None:
    created = create(client, description="a small one")
    assert created["name"] == "widget"
    assert created["description"] == "a small one"
    assert client.get(f"/items/{created['id']}").json() == created


def test_list_in_creation_order_with_paging(client: TestClient) -> None:
    ids = [create(client, name=f"item {n}")["id"] for n in range(3)]
    assert [item["id"] for item in client.get("/items").json()] == ids
    assert [item["id"] for item in client.get("/items?limit=1&offset=1").json()] == ids[1:2]


def test_delete_removes_the_item(client: TestClient) -> None:
    item_id = create(client)["id"]
    assert client.delete(f"/items/{item_id}").status_code == 204
    assert client.get(f"/items/{item_id}").status_code == 404
    assert client.delete(f"/items/{item_id}").status_code == 404


def test_unknown_item_is_404(client: TestClient) -> None:
    response = client.get("/items/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "item 999999 not found"}


@pytest.mark.parametrize(
    "payload",
    [{}, {"name": ""}, {"name": "x" * 101}, {"name": 3}, {"name": "ok", "colour": "red"}],
)
def test_invalid_payload_is_422(client: TestClient, payload: dict) -> None:
    assert client.post("/items", json=payload).status_code == 422


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=x"])
def test_invalid_paging_is_422(client: TestClient, query: str) -> None:
    assert client.get(f"/items?{query}").status_code == 422


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    assert response.json() == {"detail": "database unavailable"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/items"), ("POST", "/items"), ("GET", "/items/1"), ("DELETE", "/items/1")],
)
def test_unreachable_database_is_503_with_retry_after(
    offline_client: TestClient, method: str, path: str
) -> None:
    body = {"name": "widget"} if method == "POST" else None
    assert_unavailable(offline_client.request(method, path, json=body))


def test_no_free_connection_in_time_is_503() -> None:
    one = get_settings().model_copy(update={"database_pool_size": 1, "database_connect_timeout": 1})
    with TestClient(create_app(one)) as client, client.app.state.engine.connect():
        assert_unavailable(client.get("/items"))


def test_other_database_errors_stay_500() -> None:
    """A bug (here a missing table) is not an outage: it keeps its 500 and its traceback."""
    app = create_app()

    @app.get("/broken")
    def broken(session: Annotated[Session, Depends(get_session)]) -> None:
        session.execute(text("SELECT * FROM no_such_table"))

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/broken").status_code == 500


def test_a_connection_dropped_once_the_answer_is_ready_is_no_error() -> None:
    """Postgres restarting between a request's last query and the end of its session: the answer
    stands, and the pool replaces the connection."""
    app = create_app()

    @app.get("/dropped")
    def dropped(session: Annotated[Session, Depends(get_session)]) -> int:
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with app.state.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:backend)"), {"backend": backend})
        return backend

    with TestClient(app) as client:
        assert client.get("/dropped").status_code == 200
        assert client.get("/items").status_code == 200
