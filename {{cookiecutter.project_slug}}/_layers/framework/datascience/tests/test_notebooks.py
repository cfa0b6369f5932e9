"""Every notebook runs top to bottom in a fresh kernel, as a newcomer would run it."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel imports the package from the project root, as JupyterLab's does (make notebook);
    # Jupyter, IPython and matplotlib keep their state in a scratch directory.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    for variable in ("JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    # Raises CellExecutionError, with the cell and its traceback, when a cell fails.
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    ).execute()
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1))
