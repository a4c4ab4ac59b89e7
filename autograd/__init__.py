"""scalargrad's engine: ``Value`` (a number that records its op), backprop, gradcheck.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x * x
    >>> y.backward(); x.grad
    27.0
"""
from ._shadow_check import check_not_shadowed as _check_not_shadowed

_check_not_shadowed()

from .grad_mode import is_grad_enabled, no_grad  # noqa: E402
from .gradcheck import GradcheckError, gradcheck, numerical_grad  # noqa: E402
from .graph import gc_paused, topological_order, zero_grad  # noqa: E402
from .ops import OPS, DomainError  # noqa: E402
from .value import Value  # noqa: E402
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled  # noqa: E402
from .language import get_language, set_language, tr  # noqa: E402

__scalargrad__ = True  # nn and viz check this to tell our engine from PyPI's "autograd"

__all__ = [
    "Value", "no_grad", "is_grad_enabled", "gradcheck", "numerical_grad", "GradcheckError",
    "topological_order", "zero_grad", "gc_paused", "DomainError", "OPS",
    "detect_anomaly", "is_anomaly_enabled", "AnomalyError", "set_language", "get_language", "tr",
]
