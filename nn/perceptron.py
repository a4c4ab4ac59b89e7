"""``Perceptron``: Rosenblatt's classifier, trained by his rule rather than by gradients.

The bias is an always-1 input: with x̃ = (x, 1) and w̃ = (w, b), the rule is
    if sign(w̃·x̃) ≠ y:  w̃ ← w̃ + lr·y·x̃        (y ∈ {-1, +1}; a score of 0 counts as a mistake)
"""
from __future__ import annotations

import numpy as np

from autograd import Value, no_grad
from .fused import neuron

from .module import Module
from .neuron import _check_size, as_inputs


class Perceptron(Module):
    """score(x) = w·x + b;  prediction = +1 if score > 0 else -1. Weights start at 0."""

    def __init__(self, nin: int):
        self.nin = _check_size("nin", nin)
        self.w = [Value(0.0) for _ in range(self.nin)]
        self.b = Value(0.0)
        self.history: list[np.ndarray] = [self._weights()]  # (w_1..w_n, b) after each update
        self._label_parameters()

    def _weights(self) -> np.ndarray:
        return np.array([p.data for p in self.w] + [self.b.data])

    def forward(self, x) -> Value:
        """The score w·x + b as a Value (one fused identity neuron)."""
        return neuron(self.w, self.b, as_inputs(x, self.nin, "Perceptron"))

    def predict(self, X) -> np.ndarray:
        """+1 or -1 for each row of ``X``."""
        X = _matrix(X, self.nin)
        w = self._weights()
        return np.where(X @ w[:-1] + w[-1] > 0, 1, -1)

    def fit(self, X, y, epochs: int = 10, lr: float = 1.0) -> list[int]:
        """Sweep the samples in order, applying the rule; returns the mistakes of each epoch.

        Stops after the first epoch without mistakes (the data were separated). Every
        update appends the new (w, b) to ``history``: the moving decision line.
        """
        X = _matrix(X, self.nin)
        y = np.asarray(y, dtype=float).reshape(-1)
        if len(y) != len(X):
            raise ValueError(f"Perceptron.fit: {len(X)} samples but {len(y)} labels")
        if not np.all(np.isin(y, (-1.0, 1.0))):
            raise ValueError("Perceptron.fit: labels must be -1 or +1; map 0/1 labels with nn.data.to_pm1(y)")
        w = self._weights()
        Xt = np.hstack([X, np.ones((len(X), 1))])  # the bias as an always-1 input
        mistakes_per_epoch = []
        for _ in range(epochs):
            mistakes = 0
            for xi, yi in zip(Xt, y):
                if yi * float(w @ xi) <= 0:  # sign(w·x) ≠ y
                    w = w + lr * yi * xi
                    mistakes += 1
                    self.history.append(w.copy())
            mistakes_per_epoch.append(mistakes)
            if mistakes == 0:
                break
        with no_grad():
            for p, v in zip(self.w + [self.b], w.tolist()):
                p.data = v
        return mistakes_per_epoch

    def config(self) -> dict:
        return {"nin": self.nin}


def _matrix(X, nin: int) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X.reshape(-1, nin) if nin > 1 else X.reshape(-1, 1)
    if X.ndim != 2 or X.shape[1] != nin:
        raise ValueError(f"expected samples of {nin} features (shape (n, {nin})), got shape {X.shape}")
    return X
