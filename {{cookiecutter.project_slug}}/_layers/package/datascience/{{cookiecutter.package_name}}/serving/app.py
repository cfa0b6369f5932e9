"""The FastAPI app; gunicorn's uvicorn workers call create_app() (see gunicorn.conf.py)."""

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, status

from {{ cookiecutter.package_name }} import __version__, artifacts
from {{ cookiecutter.package_name }}.features import (
    FEATURE_NAMES,
    MEASUREMENTS,
    build_features,
)

from . import access, logs
from .draining import draining
from .schemas import Metadata, Prediction, PredictRequest, PredictResponse


def create_app(model_dir: Path | None = None) -> FastAPI:
    """Load the model before serving: a missing or broken artifact stops the start, not requests."""
    logs.configure()
    artifact = artifacts.load(model_dir or Path(os.environ.get("MODEL_DIR", "models")))
    app = FastAPI(
        title={{ cookiecutter.project_name | python_string }},
        version=__version__,
    )
    app.add_middleware(access.AccessLog)

    @app.get("/health")
    def health() -> dict[str, str]:
        """Liveness: the model loaded at start-up, so the process can predict."""
        return {"status": "ok"}

    @app.get("/ready")
    def ready() -> dict[str, str]:
        """Readiness: the model is loaded (no start without it) and the server is not draining."""
        if draining():
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "draining")
        return {"status": "ready"}

    @app.get("/metadata")
    def metadata() -> Metadata:
        return Metadata(
            model_version=artifact.version,
            feature_names=list(FEATURE_NAMES),
            classes=artifact.classes,
            metrics=artifact.metrics,
        )

    @app.post("/predict")
    def predict(request: PredictRequest) -> PredictResponse:
        rows = [[getattr(flower, name) for name in MEASUREMENTS] for flower in request.instances]
        probabilities = artifact.model.predict_proba(build_features(rows))
        classes = artifact.classes
        return PredictResponse(
            model_version=artifact.version,
            predictions=[
                Prediction(
                    label=classes[row.argmax()],
                    probabilities={
                        label: round(float(p), 6) for label, p in zip(classes, row, strict=True)
                    },
                )
                for row in probabilities
            ],
        )

    return app
