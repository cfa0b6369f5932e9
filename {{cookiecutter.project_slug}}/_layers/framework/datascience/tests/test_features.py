from pathlib import Path

import numpy as np
import pytest

from {{ cookiecutter.package_name }}.data import TARGET, load_dataset
from {{ cookiecutter.package_name }}.features import (
    FEATURE_NAMES,
    MEASUREMENTS,
    build_features,
)


def test_features_are_the_measurements_and_their_areas() -> None:
    features = build_features([[5.0, 3.0, 4.0, 1.5], [6.0, 2.0, 1.0, 0.5]])
    assert features.shape == (2, len(FEATURE_NAMES))
    np.testing.assert_allclose(features[0], [5.0, 3.0, 4.0, 1.5, 15.0, 6.0])
    np.testing.assert_allclose(features[1], [6.0, 2.0, 1.0, 0.5, 12.0, 0.5])


@pytest.mark.parametrize(
    "rows", [[1.0, 2.0, 3.0, 4.0], [[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0, 4.0, 5.0]]]
)
def test_rows_of_the_wrong_shape_are_refused(rows: list) -> None:
    with pytest.raises(ValueError, match="expected rows of 4 measurements"):
        build_features(rows)


def test_the_committed_sample_loads_with_every_species() -> None:
    frame = load_dataset()
    assert list(frame.columns) == [*MEASUREMENTS, TARGET]
    assert frame[TARGET].value_counts().to_dict() == {
        "setosa": 50,
        "versicolor": 50,
        "virginica": 50,
    }


def test_a_dataset_without_a_measurement_is_refused(tmp_path: Path) -> None:
    csv = tmp_path / "partial.csv"
    csv.write_text("sepal_length,sepal_width,petal_length,species\n5.1,3.5,1.4,setosa\n")
    with pytest.raises(ValueError, match=r"lacks the columns \['petal_width'\]"):
        load_dataset(csv)


def test_a_dataset_with_empty_values_is_refused(tmp_path: Path) -> None:
    csv = tmp_path / "holes.csv"
    csv.write_text(
        "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,,1.4,0.2,setosa\n"
    )
    with pytest.raises(ValueError, match="has empty values"):
        load_dataset(csv)
