from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings


def test_health_answers_without_the_database(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_not_ready_but_alive_when_the_database_is_unreachable() -> None:
    unreachable = Settings(
        database_url="postgresql://nobody:nothing@127.0.0.1:1/none",
        database_connect_timeout=1,
    )
    with TestClient(create_app(unreachable)) as client:
        assert client.get("/ready").status_code == 503
        assert client.get("/health").status_code == 200


def test_plain_postgres_urls_get_the_psycopg_driver() -> None:
    for url in ("postgres://u:p@h/db", "postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"):
        assert Settings(database_url=url).database_url == "postgresql+psycopg://u:p@h/db"
