"""Features, computed here for training and serving alike, so the two never drift apart."""

import numpy as np
import numpy.typing as npt

# The raw measurements a dataset row or a request carries, in centimetres, in this order.
MEASUREMENTS = ("sepal_length", "sepal_width", "petal_length", "petal_width")
# What the model sees: the measurements plus two derived areas.
FEATURE_NAMES = (*MEASUREMENTS, "sepal_area", "petal_area")


def build_features(measurements: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Rows of MEASUREMENTS (n x 4) to rows of FEATURE_NAMES (n x 6)."""
    rows = np.asarray(measurements, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[1] != len(MEASUREMENTS):
        raise ValueError(
            f"expected rows of {len(MEASUREMENTS)} measurements, got shape {rows.shape}"
        )
    sepal_area = rows[:, 0] * rows[:, 1]
    petal_area = rows[:, 2] * rows[:, 3]
    return np.column_stack([rows, sepal_area, petal_area])
