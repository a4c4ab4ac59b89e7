"""Old import path, kept only for ``nn/losses.py`` (``from autograd.fused import batch_rows``)
until it imports ``autograd.batch_rows``; the fused neuron itself lives in ``nn/fused.py``."""
from .batch import batch_rows  # noqa: F401
