"""The model artifact: what training writes and serving reads, in one directory."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import joblib
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }} import __version__

MODEL_FILE = "model.joblib"
METRICS_FILE = "metrics.json"

Metrics = dict[str, int | float]


@dataclass(frozen=True)
class Artifact:
    model: Pipeline
    metrics: Metrics
    # The code's version and the model file's digest: a retrained model gets a new one.
    version: str

    @property
    def classes(self) -> list[str]:
        return [str(label) for label in self.model.classes_]


def save(model: Pipeline, metrics: Metrics, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, directory / MODEL_FILE)
    (directory / METRICS_FILE).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")


def load(directory: Path) -> Artifact:
    model_path = directory / MODEL_FILE
    if not model_path.is_file():
        raise FileNotFoundError(f"no model at {model_path}: train one first (make train)")
    # joblib unpickles, which can run code: load only artifacts this project's own training wrote.
    model = joblib.load(model_path)
    metrics = json.loads((directory / METRICS_FILE).read_text())
    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:12]
    return Artifact(model=model, metrics=metrics, version=f"{__version__}+{digest}")
