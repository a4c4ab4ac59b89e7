"""Moving a model between scalargrad and PyTorch: ``model.to_torch()`` and
``nn.MLP.from_torch(module)``. The same weights, so the same outputs and the same gradients.

    scalargrad                          PyTorch (``torch.nn``)
    Layer(nin, nout, activation)        Linear(nin, nout), then the activation's module
      neuron j's weight w.k, bias b       weight[j, k], bias[j]
    Neuron(nin, activation)             Linear(nin, 1), then the activation's module
    MLP(nin, sizes, ..., dropout=p)     Sequential(Linear, act, Dropout(p), ..., Linear, out_act)
    Sequential(a, b, ...)               Sequential(parts of a, parts of b, ...)
    Dropout(p)                          Dropout(p)
    "relu" "tanh" "sigmoid"             ReLU() Tanh() Sigmoid()
    "leaky_relu"                        LeakyReLU(0.01)
    "identity" (None)                   nothing (the Linear alone)

PyTorch is optional: it is imported only here, when a conversion is asked for.
"""
from __future__ import annotations

from .dropout import Dropout
from .module import Module
from .neuron import MLP, Layer, Neuron
from .residual import Sequential

INSTALL = ("pip install torch==2.13.0  (on a machine without a GPU, the smaller CPU-only wheel: "
           "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu)")

# scalargrad activation name -> torch.nn module name (and its arguments)
TORCH_ACTIVATIONS = {"relu": ("ReLU", {}), "tanh": ("Tanh", {}), "sigmoid": ("Sigmoid", {}),
                     "leaky_relu": ("LeakyReLU", {"negative_slope": 0.01})}
CONVERTIBLE = "MLP, Layer, Neuron, Dropout and Sequential of them"


def import_torch(who: str):
    """The ``torch`` module, or an ImportError that says what to install."""
    try:
        import torch
    except ImportError:
        raise ImportError(f"{who} needs PyTorch, which is not installed here. Install it with: "
                          f"{INSTALL}") from None
    return torch


def to_torch(model: Module, dtype=None):
    """``model`` as a ``torch.nn.Sequential`` with the same weights (float64 unless ``dtype``),
    in the same train/eval mode."""
    torch = import_torch("to_torch()")
    dtype = torch.float64 if dtype is None else dtype
    module = torch.nn.Sequential(*_parts(model, torch, dtype))
    module.train(model.training)
    return module


def _parts(model, torch, dtype) -> list:
    """The torch.nn modules that compute what ``model`` computes, in order."""
    if isinstance(model, MLP):
        parts = []
        for i, layer in enumerate(model.layers):
            parts += _dense(layer.neurons, torch, dtype, f"layers.{i}")
            if model.dropout is not None and i < len(model.layers) - 1:
                parts.append(torch.nn.Dropout(model.dropout.p))
        return parts
    if isinstance(model, Layer):
        return _dense(model.neurons, torch, dtype, "the layer")
    if isinstance(model, Neuron):
        return _dense([model], torch, dtype, "the neuron")
    if isinstance(model, Dropout):
        return [torch.nn.Dropout(model.p)]
    if isinstance(model, Sequential):
        return [part for m in model.layers for part in _parts(m, torch, dtype)]
    raise TypeError(f"to_torch() converts {CONVERTIBLE}; a {type(model).__name__} has no "
                    "torch.nn counterpart here. Rebuild it in PyTorch by hand, or copy its "
                    "state_dict() numbers into the torch model's tensors.")


def _dense(neurons: list, torch, dtype, where: str) -> list:
    """Linear (+ activation) for neurons that share their inputs: row j of the weight is
    neuron j's w, bias[j] its b."""
    names = {n.activation for n in neurons}
    if len(names) > 1:
        raise ValueError(f"to_torch(): the neurons of {where} have different activations "
                         f"({', '.join(sorted(names))}); a torch layer applies one to all of them")
    (name,) = names
    if name != "identity" and name not in TORCH_ACTIVATIONS:
        raise ValueError(f"to_torch(): {where} uses the {name!r} activation, which has no torch.nn "
                         f"module (and no useful gradient); use one of {', '.join(TORCH_ACTIVATIONS)}")
    linear = torch.nn.utils.skip_init(torch.nn.Linear, neurons[0].nin, len(neurons), dtype=dtype)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons], dtype=dtype))
        linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=dtype))
    if name == "identity":
        return [linear]
    cls, kwargs = TORCH_ACTIVATIONS[name]
    return [linear, getattr(torch.nn, cls)(**kwargs)]


def mlp_from_torch(module, fused=None) -> MLP:
    """An ``nn.MLP`` with the weights of ``module``: a ``torch.nn.Linear``, or a
    ``torch.nn.Sequential`` of Linear layers, each followed by at most one activation
    (ReLU, Tanh, Sigmoid, LeakyReLU(0.01), Identity), the hidden ones all alike, with the
    same ``Dropout(p)`` after every hidden layer or none."""
    torch = import_torch("MLP.from_torch()")
    layers = _layers_of(module, torch)
    hidden = {act for _, act, _ in layers[:-1]}
    if len(hidden) > 1:
        raise ValueError("MLP.from_torch(): an MLP has one activation for all its hidden layers, this "
                         f"module has {', '.join(sorted(hidden))}; build nn.Sequential(nn.Layer(...), ...) "
                         "and copy the weights instead")
    drops = {p for _, _, p in layers[:-1]}
    if len(drops) > 1:
        raise ValueError("MLP.from_torch(): an MLP has the same Dropout(p) after every hidden layer (or "
                         f"none); this module has p = {', '.join(map(str, sorted(drops)))}")
    if layers[-1][2]:
        raise ValueError("MLP.from_torch(): a Dropout after the last Linear has no place in an MLP")
    nin = layers[0][0].in_features
    model = MLP(nin, [lin.out_features for lin, _, _ in layers],
                activation=hidden.pop() if hidden else "relu", output_activation=layers[-1][1],
                dropout=drops.pop() if drops else 0.0, fused=fused,
                seed=0)  # a seed: building it must not use up the user's random numbers
    state = {}
    for i, (linear, _, _) in enumerate(layers):
        weight = linear.weight.detach().cpu().double().tolist()
        bias = linear.bias.detach().cpu().double().tolist()
        for j, (row, b) in enumerate(zip(weight, bias)):
            state.update({f"layers.{i}.neurons.{j}.w.{k}": w for k, w in enumerate(row)})
            state[f"layers.{i}.neurons.{j}.b"] = b
    model.load_state_dict(state)
    model.train(module.training)
    return model


def _layers_of(module, torch) -> list:
    """[(Linear, activation name, dropout p after it)] read off ``module``, or a ValueError
    naming the first part that does not fit an MLP."""
    fits = ("a torch.nn.Sequential of Linear layers, each followed by at most one of ReLU, Tanh, "
            "Sigmoid, LeakyReLU(0.01) or Identity, and Dropout between layers")
    if isinstance(module, torch.nn.Linear):
        parts = [module]
    elif isinstance(module, torch.nn.Sequential):
        parts = list(_flat(module, torch))
    else:
        raise TypeError(f"MLP.from_torch() takes {fits}; got a {type(module).__name__}")
    torch_names = {cls: name for name, (cls, _) in TORCH_ACTIVATIONS.items()}
    layers = []
    for i, part in enumerate(parts):
        kind = type(part).__name__
        if isinstance(part, torch.nn.Linear):
            if part.bias is None:
                raise ValueError(f"MLP.from_torch(): part {i} is Linear(bias=False); scalargrad neurons "
                                 "always have a bias")
            if layers and layers[-1][0].out_features != part.in_features:
                raise ValueError(f"MLP.from_torch(): part {i} takes {part.in_features} inputs but the "
                                 f"layer before gives {layers[-1][0].out_features}")
            layers.append([part, "identity", 0.0])
        elif not layers:
            raise ValueError(f"MLP.from_torch(): the module must start with a Linear layer, part {i} "
                             f"is {kind}")
        elif isinstance(part, torch.nn.Dropout):
            layers[-1][2] = float(part.p)
        elif isinstance(part, torch.nn.Identity):
            continue
        elif kind in torch_names and layers[-1][1] == "identity" and not layers[-1][2]:
            if kind == "LeakyReLU" and part.negative_slope != 0.01:
                raise ValueError(f"MLP.from_torch(): part {i} is LeakyReLU({part.negative_slope}); "
                                 "scalargrad's leaky_relu activation has slope 0.01")
            layers[-1][1] = torch_names[kind]
        else:
            raise ValueError(f"MLP.from_torch(): part {i} ({kind}) does not fit an MLP, which is {fits}")
    return [tuple(layer) for layer in layers]


def _flat(module, torch):
    for part in module:
        if isinstance(part, torch.nn.Sequential):
            yield from _flat(part, torch)
        else:
            yield part
