"""How viz writes numbers: one helper, 4 significant digits, batches summarised."""
from __future__ import annotations

import math

import numpy as np

from autograd.language import tr

DIGITS = 4


def fmt(x, digits: int = DIGITS) -> str:
    """``x`` with ``digits`` significant digits: 2.0 -> '2.0', 0.70710678 -> '0.7071',
    12345.6 -> '1.235e4'; a batch (1-D array) -> 'batch[32] mean 0.12'."""
    if isinstance(x, np.ndarray) and x.ndim > 0:
        if x.size == 0:
            return tr("batch[{n}]", n=x.size)
        shape = str(x.size) if x.ndim == 1 else "×".join(map(str, x.shape))
        return tr("batch[{shape}] mean {value}", shape=shape, value=fmt(float(np.mean(x)), digits))
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0"
    s = f"{x:.{digits}g}"
    if "e" in s:
        mantissa, exp = s.split("e")
        return f"{mantissa}e{int(exp)}"
    return s if "." in s else s + ".0"
