"""Import the engine, failing clearly if PyPI's unrelated ``autograd`` took its place."""
import autograd

if not getattr(autograd, "__scalargrad__", False):
    raise ImportError(
        f"'import autograd' found {getattr(autograd, '__file__', '?')}, which is not scalargrad's "
        "engine: PyPI's unrelated package 'autograd' (HIPS) shares the import name and has "
        "overwritten or shadowed it. Fix: run scalargrad from its own virtual environment "
        "(python3 run.py ... creates .venv), or `pip uninstall autograd` and reinstall scalargrad "
        "with `pip install --force-reinstall -e .`."
    )
