"""Training: fit the model with a fixed seed, measure it on held-out rows, write the artifact.

`make train` runs it: `python -m {{ cookiecutter.package_name }}.training --output models`.
"""

import argparse
from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from {{ cookiecutter.package_name }} import artifacts
from {{ cookiecutter.package_name }}.data import SAMPLE, TARGET, load_dataset
from {{ cookiecutter.package_name }}.features import MEASUREMENTS, build_features

# Every source of randomness takes this seed: the same data and code give the same model.
SEED = 42
# The share of rows held out to measure the model, never trained on.
TEST_SIZE = 0.25


def train(frame: pd.DataFrame, seed: int = SEED) -> tuple[Pipeline, artifacts.Metrics]:
    """Fit on a stratified split of `frame`; the metrics come from the rows held out."""
    features = build_features(frame[list(MEASUREMENTS)])
    labels = frame[TARGET].to_numpy()
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=TEST_SIZE, random_state=seed, stratify=labels
    )
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed))
    model.fit(x_train, y_train)
    predicted = model.predict(x_test)
    metrics = {
        "accuracy": round(float(accuracy_score(y_test, predicted)), 4),
        "f1_macro": round(float(f1_score(y_test, predicted, average="macro")), 4),
        "train_rows": len(y_train),
        "test_rows": len(y_test),
    }
    return model, metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Train the model and write it, with its metrics, to a directory."
    )
    parser.add_argument("--data", type=Path, default=SAMPLE, help="CSV of measurements and species")
    parser.add_argument(
        "--output", type=Path, default=Path("models"), help="where to write the artifact"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    model, metrics = train(load_dataset(args.data), seed=args.seed)
    artifacts.save(model, metrics, args.output)
    print(
        f"Wrote {args.output / artifacts.MODEL_FILE}:",
        ", ".join(f"{k}={v}" for k, v in metrics.items()),
    )


if __name__ == "__main__":
    main()
