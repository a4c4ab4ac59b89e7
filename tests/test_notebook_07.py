"""Notebook 07 (the same network in PyTorch) without PyTorch: it runs to the end and says what
to install instead of failing. (With PyTorch it runs in the suite through nbmake.)"""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAME = "07_same_network_in_pytorch.ipynb"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_runs_without_torch_and_says_what_to_install(lang, tmp_path, monkeypatch):
    from autograd.language import tr
    notebook = ROOT / "notebooks" / lang / NAME
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    hidden = tmp_path / "torch"
    hidden.mkdir()
    (hidden / "__init__.py").write_text('raise ImportError("No module named \'torch\'")\n')
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}:{ROOT}")  # the kernel finds this torch first
    nb = nbformat.read(notebook, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "pip install torch==2.13.0" in printed and "download.pytorch.org/whl/cpu" in printed
    assert printed.count(tr("skipped: PyTorch is not installed", lang=lang)) == 2
    assert tr("✓ row j is neuron j: the same matrix torch.nn.Linear holds", lang=lang) in printed
    if lang == "ru":
        assert "пропущено: PyTorch не установлен" in printed and "skipped" not in printed
