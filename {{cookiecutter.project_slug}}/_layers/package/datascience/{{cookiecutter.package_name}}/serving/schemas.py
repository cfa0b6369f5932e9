"""The API's request and response bodies; pydantic answers anything else with 422."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Bounds that catch wrong units and garbage rather than judge the biology.
Centimetres = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]


class Flower(BaseModel):
    """One flower's measurements; the fields are features.MEASUREMENTS, in that order."""

    model_config = ConfigDict(extra="forbid")

    sepal_length: Centimetres
    sepal_width: Centimetres
    petal_length: Centimetres
    petal_width: Centimetres


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Batches amortise the call; the cap keeps one request from holding a worker for long.
    instances: list[Flower] = Field(min_length=1, max_length=1000)


class Prediction(BaseModel):
    label: str
    probabilities: dict[str, float]


class PredictResponse(BaseModel):
    model_version: str
    # In the order of the request's instances.
    predictions: list[Prediction]


class Metadata(BaseModel):
    model_version: str
    feature_names: list[str]
    classes: list[str]
    metrics: dict[str, int | float]
