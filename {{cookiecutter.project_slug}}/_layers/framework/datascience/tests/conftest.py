"""A small sample of the dataset, and a model trained on it in a temporary directory."""

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }} import artifacts
from {{ cookiecutter.package_name }}.data import TARGET, load_dataset
from {{ cookiecutter.package_name }}.serving import create_app
from {{ cookiecutter.package_name }}.training import train


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    """Twelve flowers of each species: enough to train and measure, small enough to be quick."""
    return load_dataset().groupby(TARGET).head(12).reset_index(drop=True)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, sample: pd.DataFrame) -> Path:
    directory = tmp_path_factory.mktemp("models")
    artifacts.save(*train(sample), directory)
    return directory


@pytest.fixture
def client(model_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(model_dir)) as client:
        yield client
