"""PyPI's unrelated HIPS `autograd` shares our import name: both ways round, fail clearly."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, extra_path: Path) -> subprocess.CompletedProcess:
    script = f"import sys; sys.path[:0] = [{str(extra_path)!r}, {str(ROOT)!r}]\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_our_engine_refuses_to_run_beside_hips_autograd(tmp_path):
    # what `pip install autograd` leaves behind: its metadata (and files mixed into ours)
    dist = tmp_path / "autograd-1.7.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: autograd\nVersion: 1.7.0\n")
    result = run_python("import autograd", tmp_path)
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert "HIPS" in result.stderr and "pip uninstall autograd" in result.stderr


def test_nn_refuses_an_autograd_that_is_not_ours(tmp_path):
    # HIPS installed last: its autograd/__init__.py is what `import autograd` finds
    fake = tmp_path / "autograd"
    fake.mkdir()
    (fake / "__init__.py").write_text("from .differential_operators import grad  # HIPS\n")
    (fake / "differential_operators.py").write_text("def grad(f):\n    return f\n")
    result = run_python("import nn", tmp_path)
    assert result.returncode != 0
    assert "not scalargrad's engine" in result.stderr and "pip uninstall autograd" in result.stderr


def test_without_the_other_package_everything_imports(tmp_path):
    result = run_python("import autograd, nn, viz; print(autograd.__scalargrad__)", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
