"""L2 regularisation: a penalty added to the loss (the optimizers' ``weight_decay`` is the
same idea applied in the update)."""
from __future__ import annotations

from autograd import Value
from .fused import square_sum

from .neuron import is_fused


def l2_penalty(params, lam: float) -> Value:
    """lam · Σ p²  (as micrograd's demo: ``alpha * sum(p*p for p in params)``).

    Its gradient is 2·lam·p; the notes' (λ/2N)·‖w‖² is ``l2_penalty(params, λ / (2 * N))``.
    """
    params = list(params)
    if not params:
        raise ValueError("l2_penalty: no parameters given (pass model.parameters())")
    if is_fused():  # Σ p² as one node (the same sum, in the same order)
        return square_sum(params) * lam
    squares = [p * p for p in params]
    return sum(squares[1:], squares[0]) * lam
