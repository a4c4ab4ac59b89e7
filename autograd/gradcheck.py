"""Gradient checking: backprop's answer against central finite differences."""
from __future__ import annotations

import math

from .grad_mode import no_grad
from .value import Value


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message lists each mismatch."""


def _leaves(inputs):
    return [Value(x.data if isinstance(x, Value) else x, label=getattr(x, "label", "") or f"x{i}")
            for i, x in enumerate(inputs)]


def numerical_grad(f, inputs, eps: float = 1e-6) -> list[float]:
    """Central differences  df/dx_i ≈ (f(x + eps·e_i) - f(x - eps·e_i)) / (2 eps)."""
    base = [x.data if isinstance(x, Value) else float(x) for x in inputs]
    grads = []
    with no_grad():
        for i in range(len(base)):
            hi, lo = list(base), list(base)
            hi[i] += eps
            lo[i] -= eps
            f_hi = _as_float(f(*[Value(v) for v in hi]))
            f_lo = _as_float(f(*[Value(v) for v in lo]))
            grads.append((f_hi - f_lo) / (2 * eps))
    return grads


def _as_float(out) -> float:
    if isinstance(out, Value):
        return out.data
    raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """Check ``backward()`` of ``f(*Values)`` against central differences at ``inputs``.

    Passes when |analytic - numeric| <= atol + rtol·|numeric| for every input (PyTorch's
    defaults). A numeric gradient that is inf or nan cannot be compared, so it fails.
    Returns True, or raises ``GradcheckError`` listing each input that failed with both
    values (returns False instead when ``raise_exception=False``).
    """
    leaves = _leaves(inputs)
    out = f(*leaves)
    _as_float(out)
    out.backward()
    analytic = [leaf.grad for leaf in leaves]
    numeric = numerical_grad(f, leaves, eps)
    bad = []
    for leaf, a, n in zip(leaves, analytic, numeric):
        where = f"  {leaf.label} = {leaf.data!r}: analytic {a!r} vs numeric {n!r}"
        if not math.isfinite(n):  # |a - inf| <= rtol·inf would let any finite a pass
            bad.append(f"{where}: cannot compare, the finite difference is {n!r} (f(x ± eps) overflowed "
                       f"or is not a number there); try a smaller eps or other values")
        elif not abs(a - n) <= atol + rtol * abs(n):  # 'not <=' so that nan fails too
            bad.append(f"{where} (diff {abs(a - n):.3g})")
    if not bad:
        return True
    if not raise_exception:
        return False
    raise GradcheckError(
        f"gradcheck failed for {len(bad)} of {len(leaves)} inputs "
        f"(eps={eps}, atol={atol}, rtol={rtol}):\n" + "\n".join(bad)
    )
