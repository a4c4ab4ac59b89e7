"""Weight initialisation schemes, reproducible from a seed.

- "uniform" (micrograd): w ~ U(-1, 1)
- "xavier" / "glorot": w ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out))  (for tanh/sigmoid)
- "he" / "kaiming": w ~ N(0, 2 / fan_in)  (for relu)
Biases start at 0 in every scheme (as in micrograd).
"""
from __future__ import annotations

import math

import numpy as np

SCHEMES = ("uniform", "xavier", "glorot", "he", "kaiming")


def check_scheme(init: str) -> str:
    if init not in SCHEMES:
        raise ValueError(f"unknown init {init!r}; use one of {', '.join(SCHEMES)}")
    return init


def rng(seed) -> np.random.Generator:
    """A numpy Generator from a seed (an int, None for fresh entropy, or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def weights(init: str, fan_in: int, fan_out: int, generator: np.random.Generator) -> list[float]:
    """``fan_in`` initial weights of one neuron in a layer of ``fan_out`` neurons."""
    check_scheme(init)
    if init == "uniform":
        w = generator.uniform(-1.0, 1.0, fan_in)
    elif init in ("xavier", "glorot"):
        a = math.sqrt(6.0 / (fan_in + fan_out))
        w = generator.uniform(-a, a, fan_in)
    else:
        w = generator.normal(0.0, math.sqrt(2.0 / fan_in), fan_in)
    return [float(v) for v in w]
