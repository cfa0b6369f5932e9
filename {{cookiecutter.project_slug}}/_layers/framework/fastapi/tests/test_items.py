import pytest
from fastapi.testclient import TestClient


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
