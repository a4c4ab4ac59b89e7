"""Notebook 07 (the same network in PyTorch) without PyTorch: it runs to the end and says what
to install instead of failing. (With PyTorch it runs in the suite through nbmake.)"""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "07_same_network_in_pytorch.ipynb"


def test_runs_without_torch_and_says_what_to_install(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    hidden = tmp_path / "torch"
    hidden.mkdir()
    (hidden / "__init__.py").write_text('raise ImportError("No module named \'torch\'")\n')
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}:{ROOT}")  # the kernel finds this torch first
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "pip install torch==2.13.0" in printed and "download.pytorch.org/whl/cpu" in printed
    assert printed.count("skipped: PyTorch is not installed") == 2
    assert "✓ row j is neuron j" in printed
