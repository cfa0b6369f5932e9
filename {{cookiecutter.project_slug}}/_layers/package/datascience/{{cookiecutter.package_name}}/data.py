"""Loading the training data: the one place that knows where it lives and what its columns are."""

from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.features import MEASUREMENTS

# The sample committed with the project (see data/README.md).
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "iris.csv"
TARGET = "species"


def load_dataset(path: Path = SAMPLE) -> pd.DataFrame:
    """The measurement and target columns of the CSV at `path`, none of them missing or empty."""
    frame = pd.read_csv(path)
    columns = [*MEASUREMENTS, TARGET]
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise ValueError(f"{path} lacks the columns {missing}")
    if frame[columns].isna().any().any():
        raise ValueError(f"{path} has empty values in {columns}")
    return frame[columns]
