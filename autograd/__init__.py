"""scalargrad's engine: ``Value`` (a number that records its op), backprop, gradcheck.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x * x
    >>> y.backward(); x.grad
    27.0

Read in this order: ``value.py`` (Value, its operators, ``backward()``), ``ops.py`` (the op
table, each op's math), ``graph.py`` (topological order, the chain rule as a loop).
"""
from ._shadow_check import check_not_shadowed as _check_not_shadowed

_check_not_shadowed()

from . import hooks  # noqa: E402
from .grad_mode import is_grad_enabled, no_grad, set_grad_enabled  # noqa: E402
from .gradcheck import GradcheckError, gradcheck, numerical_grad  # noqa: E402
from .graph import chain_rule, chain_rule_steps, contribution, topological_order, zero_grad  # noqa: E402
from .fast import BackwardPass  # noqa: E402
from .collector import gc_paused, is_collector_managed, manage_collector  # noqa: E402
from .ops import OPS, DomainError, Op, register_op  # noqa: E402
from .value import Value, constant, describe_operands, make_node  # noqa: E402
from .batch import batch_rows  # noqa: E402
from .function import Function, FunctionCheckError, Kernel, check_function  # noqa: E402
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled  # noqa: E402
from . import guards  # noqa: E402,F401  (installs the teaching guards' hooks)
from .language import get_language, set_language, tr  # noqa: E402  (the module autograd.language keeps its name)

__scalargrad__ = True  # nn and viz check this to tell our engine from PyPI's "autograd"

__all__ = [
    "Value", "no_grad", "is_grad_enabled", "set_grad_enabled", "gradcheck", "numerical_grad",
    "GradcheckError", "topological_order", "chain_rule", "chain_rule_steps", "contribution",
    "zero_grad", "gc_paused", "manage_collector", "is_collector_managed", "DomainError", "OPS", "Op",
    "register_op", "make_node", "constant",
    "describe_operands", "batch_rows", "Function", "Kernel", "check_function",
    "FunctionCheckError", "BackwardPass", "hooks", "detect_anomaly", "is_anomaly_enabled",
    "AnomalyError", "set_language", "get_language", "tr",
]
