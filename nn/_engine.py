"""Import the engine, failing clearly if something else took the name ``autograd``
(PyPI's HIPS autograd, a student's own ``autograd.py``): see ``scalargrad/install_check.py``."""
from scalargrad.install_check import check

check("autograd")
