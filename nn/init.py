"""Weight initialisation schemes, reproducible from a seed.

- "uniform" (micrograd): w ~ U(-1, 1)
- "xavier" / "glorot": w ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out))  (for tanh/sigmoid)
- "he" / "kaiming": w ~ N(0, 2 / fan_in)  (for relu)
Biases start at 0 in every scheme (as in micrograd).

Where the numbers come from: ``seed=<int>`` gives a numpy Generator of its own, the same on
every run. ``seed=None`` (the default) draws from Python's ``random`` module, as micrograd
does, so ``random.seed(1337)`` before building a model makes the run repeatable; with
"uniform" the weights are then exactly micrograd's (``random.uniform(-1, 1)`` per weight,
neuron after neuron).
"""
from __future__ import annotations

import math
import random

import numpy as np

SCHEMES = ("uniform", "xavier", "glorot", "he", "kaiming")


def check_scheme(init: str) -> str:
    if init not in SCHEMES:
        raise ValueError(f"unknown init {init!r}; use one of {', '.join(SCHEMES)}")
    return init


class PythonRandom:
    """The few draws models need, taken from Python's ``random`` module (or a
    ``random.Random``) one number at a time, in the order micrograd takes them."""

    def __init__(self, source=random):
        self.source = source

    def uniform(self, low: float, high: float, size: int) -> list[float]:
        return [self.source.uniform(low, high) for _ in range(size)]

    def normal(self, mean: float, std: float, size: int) -> list[float]:
        return [self.source.gauss(mean, std) for _ in range(size)]

    def random(self, shape) -> np.ndarray:
        """Uniform numbers in [0, 1) in an array of ``shape`` (an int or a tuple)."""
        count = int(np.prod(shape))
        return np.array([self.source.random() for _ in range(count)]).reshape(shape)


def rng(seed):
    """Where a model's random numbers come from: an int (or numpy SeedSequence) seeds a numpy
    Generator; None draws from Python's ``random`` module (``random.seed`` controls it); a
    Generator, a ``random.Random`` or a ``PythonRandom`` is used as it is."""
    if isinstance(seed, (np.random.Generator, PythonRandom)):
        return seed
    if seed is None:
        return PythonRandom()
    if isinstance(seed, random.Random):
        return PythonRandom(seed)
    return np.random.default_rng(seed)


def weights(init: str, fan_in: int, fan_out: int, generator) -> list[float]:
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
