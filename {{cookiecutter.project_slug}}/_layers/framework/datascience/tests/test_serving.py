from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.features import FEATURE_NAMES, MEASUREMENTS
from {{ cookiecutter.package_name }}.serving import create_app
from {{ cookiecutter.package_name }}.serving.schemas import Flower

SETOSA = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
VIRGINICA = {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.8, "petal_width": 2.2}


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_batch_gets_one_prediction_per_instance_in_order(client: TestClient) -> None:
    response = client.post("/predict", json={"instances": [SETOSA, VIRGINICA]})
    assert response.status_code == 200
    body = response.json()
    assert [prediction["label"] for prediction in body["predictions"]] == ["setosa", "virginica"]
    for prediction in body["predictions"]:
        assert set(prediction["probabilities"]) == {"setosa", "versicolor", "virginica"}
        assert sum(prediction["probabilities"].values()) == pytest.approx(1, abs=1e-4)
    assert body["model_version"] == client.get("/metadata").json()["model_version"]


INVALID = {
    "empty": {},
    "no-instances": {"instances": []},
    "not-a-list": {"instances": SETOSA},
    "too-many": {"instances": [SETOSA] * 1001},
    "negative": {"instances": [{**SETOSA, "petal_width": -1}]},
    "text": {"instances": [{**SETOSA, "petal_width": "wide"}]},
    "missing": {"instances": [{name: SETOSA[name] for name in MEASUREMENTS[1:]}]},
    "unknown-field": {"instances": [{**SETOSA, "colour": "blue"}]},
}


@pytest.mark.parametrize("body", INVALID.values(), ids=INVALID)
def test_invalid_input_is_422(client: TestClient, body: dict) -> None:
    response = client.post("/predict", json=body)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_metadata_describes_the_model(client: TestClient, model_dir: Path) -> None:
    body = client.get("/metadata").json()
    assert body["feature_names"] == list(FEATURE_NAMES)
    assert body["classes"] == ["setosa", "versicolor", "virginica"]
    assert set(body["metrics"]) == {"accuracy", "f1_macro", "train_rows", "test_rows"}
    assert body["model_version"].startswith(f"{__version__}+")


def test_the_request_schema_carries_the_measurements_in_order() -> None:
    assert tuple(Flower.model_fields) == MEASUREMENTS


def test_without_a_model_the_app_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make train"):
        create_app(tmp_path)
