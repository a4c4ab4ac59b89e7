"""scalargrad's neural-network toolkit on top of ``Value``: neurons to training loops,
with PyTorch's names (``nn.MLP``, ``nn.optim.SGD``, ``nn.mse_loss``, ``nn.fit``)."""
from . import _engine  # noqa: F401  (first: fail clearly if another 'autograd' shadows the engine)
from . import activations, data, init, metrics, optim  # noqa: E402
from .activations import ACTIVATIONS, identity, leaky_relu, relu, sigmoid, step, tanh  # noqa: E402
from .dropout import Dropout  # noqa: E402
from .fit import History, fit  # noqa: E402
from .losses import (  # noqa: E402
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, hinge_loss,
    logistic_loss, mae_loss, mse_loss, nll_loss, rmse_loss,
)
from .metrics import (  # noqa: E402
    accuracy, mean_absolute_error, mean_squared_error, r2_score, root_mean_squared_error,
)
from .module import Module  # noqa: E402
from .neuron import MLP, Layer, Neuron, is_fused, set_fused  # noqa: E402
from .perceptron import Perceptron  # noqa: E402
from .regularization import l2_penalty  # noqa: E402
from .residual import Residual, Sequential  # noqa: E402
from .serialization import ModelFileError  # noqa: E402
from .softmax import log_softmax, logsumexp, softmax  # noqa: E402
from .losses import cross_entropy_rule as _cross_entropy_rule  # noqa: E402
from autograd import register_op as _register_op  # noqa: E402

_register_op("cross_entropy", _cross_entropy_rule, arity=-1)  # the batched loss node, in autograd.OPS

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "Dropout", "Residual", "Sequential", "Perceptron",
    "set_fused", "is_fused", "ACTIVATIONS", "step", "identity", "sigmoid", "tanh", "relu",
    "leaky_relu", "softmax", "log_softmax", "logsumexp", "mse_loss", "mae_loss", "rmse_loss",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss",
    "hinge_loss", "logistic_loss", "l2_penalty", "accuracy", "mean_squared_error",
    "mean_absolute_error", "root_mean_squared_error", "r2_score", "fit", "History",
    "ModelFileError", "activations", "data", "init", "metrics", "optim",
]
