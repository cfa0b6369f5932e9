import pytest
from flask import Flask
from flask.testing import FlaskClient

from {{ cookiecutter.package_name }} import create_app


def test_health_answers_ok(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_greeting_defaults_to_world(client: FlaskClient) -> None:
    response = client.get("/api/greeting")
    assert response.status_code == 200
    assert response.get_json() == {"message": "Hello, world!"}


def test_greeting_uses_the_name(client: FlaskClient) -> None:
    assert client.get("/api/greeting?name=Ada").get_json() == {"message": "Hello, Ada!"}


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_greeting_rejects_bad_names_as_json(client: FlaskClient, name: str) -> None:
    response = client.get("/api/greeting", query_string={"name": name})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


def test_unknown_route_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["name"] == "Not Found"


def test_unexpected_error_is_a_json_500(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == 500
    assert "boom" not in response.get_data(as_text=True)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_GREETING", "Howdy")
    monkeypatch.setenv("FLASK_MAX_NAME_LENGTH", "3")
    client = create_app({"TESTING": True}).test_client()
    assert client.get("/api/greeting?name=Ada").get_json() == {"message": "Howdy, Ada!"}
    assert client.get("/api/greeting?name=Adam").status_code == 400
