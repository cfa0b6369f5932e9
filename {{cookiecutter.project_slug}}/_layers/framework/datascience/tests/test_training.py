import json
from pathlib import Path

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }} import artifacts
from {{ cookiecutter.package_name }}.features import FEATURE_NAMES, build_features
from {{ cookiecutter.package_name }}.training import main, train


def test_training_learns_the_sample(sample: pd.DataFrame) -> None:
    model, metrics = train(sample)
    assert metrics["train_rows"] + metrics["test_rows"] == len(sample)
    assert metrics["accuracy"] >= 0.8
    assert model.n_features_in_ == len(FEATURE_NAMES)
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]


def test_the_same_seed_gives_the_same_model(sample: pd.DataFrame, tmp_path: Path) -> None:
    for run in ("first", "second"):
        artifacts.save(*train(sample, seed=7), tmp_path / run)
    first, second = (artifacts.load(tmp_path / run) for run in ("first", "second"))
    assert first.version == second.version
    assert first.metrics == second.metrics
    rows = build_features(sample.iloc[:, :4])
    np.testing.assert_array_equal(first.model.predict_proba(rows), second.model.predict_proba(rows))


def test_the_command_writes_the_model_and_its_metrics(tmp_path: Path) -> None:
    main(["--output", str(tmp_path)])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["metrics.json", "model.joblib"]
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["train_rows"] + metrics["test_rows"] == 150
    assert metrics["accuracy"] >= 0.9
