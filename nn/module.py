"""``Module``: PyTorch's parameter bookkeeping at micrograd's size.

A module's parameters are the Values, modules and lists of them held in its public
attributes, walked in definition order: ``named_parameters()`` yields dotted names such as
``layers.0.neurons.3.w.1``, which models also use as the parameters' graph labels.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from autograd import Value, no_grad

REGISTRY: dict[str, type] = {}  # class name -> class, for rebuilding a model from its file

# Counts changes to any module's attributes or lists: a layer keeps the list of its
# parameters (and which neuron owns which) from one forward call to the next while this
# number stays the same, and reads only their .data again.
structure_version = 0


def _changed() -> None:
    global structure_version
    structure_version += 1


class WatchedList(list):
    """A list held in a module's public attribute (weights, neurons, layers): a plain list
    that counts its in-place changes in ``structure_version``."""

    __slots__ = ()


def _watching(name: str):
    method = getattr(list, name)

    def changing(self, *args):
        _changed()
        return method(self, *args)

    changing.__name__ = name
    return changing


for _method in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert",
              "pop", "remove", "clear", "sort", "reverse"):
    setattr(WatchedList, _method, _watching(_method))
del _method


class _model_or_class_method:
    """``Model.load(path)`` builds a new model; ``model.load(path)`` loads into this one."""

    def __init__(self, on_class, on_instance):
        self.on_class, self.on_instance = on_class, on_instance

    def __get__(self, obj, cls):
        if obj is None:
            return self.on_class.__get__(None, cls)
        return self.on_instance.__get__(obj, cls)


class Module:
    """Base class of every model part: parameters, train/eval mode, state and files."""

    training = True  # set per instance by train() / eval()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        REGISTRY[cls.__name__] = cls

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def __setattr__(self, name: str, value) -> None:
        """Set the attribute, and count the change in ``structure_version`` (a public list
        is held as a ``WatchedList``, so that changing it in place counts too)."""
        if value.__class__ is list and not name.startswith("_"):
            value = WatchedList(value)
        object.__setattr__(self, name, value)
        _changed()

    def forward(self, x):
        raise NotImplementedError(f"{type(self).__name__} must define forward(x)")

    def _forward_many(self, samples) -> list:
        """``[self(x) for x in samples]``; models may do it faster (MLP reads weights once)."""
        return [self(x) for x in samples]

    # --- walking the tree ---------------------------------------------------------------

    def _entries(self):
        """(name, item) for each public attribute that is a Value, a Module or a list of them."""
        for name, item in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(item, (Value, Module)):
                yield name, item
            elif isinstance(item, (list, tuple)) and item and all(
                isinstance(e, (Value, Module)) for e in item
            ):
                for i, e in enumerate(item):
                    yield f"{name}.{i}", e

    def named_modules(self, prefix: str = ""):
        """(dotted name, module) for this module ("" for itself) and every module inside it."""
        yield prefix, self
        for name, item in self._entries():
            if isinstance(item, Module):
                yield from item.named_modules(f"{prefix}{name}.")

    def modules(self):
        """This module and every module inside it (``named_modules`` without the names)."""
        return [self, *self._cached("_submodules", lambda: [m for _, m in self.named_modules()][1:])]

    def named_parameters(self):
        """(dotted name, Value) for every parameter, each once: a module's own first, then its
        submodules' in definition order (as PyTorch)."""
        seen = set()
        stack = [("", self)]
        while stack:
            prefix, module = stack.pop()
            subs = []
            for name, item in module._entries():
                if isinstance(item, Module):
                    subs.append((f"{prefix}{name}.", item))
                elif id(item) not in seen:
                    seen.add(id(item))
                    yield prefix + name, item
            stack.extend(reversed(subs))

    def parameters(self) -> list[Value]:
        """Every parameter (``named_parameters`` without the names)."""
        return list(self._cached("_parameters", lambda: [p for _, p in self.named_parameters()]))

    def _cached(self, key: str, walk) -> list:
        """``walk()``, kept until a module changes (``structure_version``): fit, train() and
        zero_grad() ask for the same lists every step. (Only submodules and Values are kept:
        a module does not refer to itself.)"""
        kept = self.__dict__.get(key)
        if kept is None or kept[0] != structure_version:
            kept = (structure_version, walk())
            object.__setattr__(self, key, kept)  # a cache, not a change: not counted
        return kept[1]

    def _label_parameters(self) -> None:
        """Label each parameter with its dotted name, and each module with its prefix."""
        for name, p in self.named_parameters():
            p.label = name
        for name, m in self.named_modules():
            m._name = name.rstrip(".")

    _name = ""  # the dotted path of this module inside the model that labelled it last

    # --- training state -----------------------------------------------------------------

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (call before each backward())."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True):
        """Training mode (dropout active) for this module and all inside it; returns self.

        A mode, not a change of structure: layers keep their cached plans."""
        mode = bool(mode)
        for m in self.modules():
            if m.training is not mode:
                object.__setattr__(m, "training", mode)  # not counted in structure_version
        return self

    def eval(self):
        """Evaluation mode (dropout off); returns self."""
        return self.train(False)

    def state_dict(self) -> dict[str, float]:
        """{dotted name: float value} of every parameter."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state) -> None:
        """Set the parameters from ``{name: number}``; checks everything before changing any.

        The names must be exactly this model's parameter names (a model of another shape
        is refused with the names that differ); values must be finite real numbers.
        """
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict expects a dict of name -> number, got {type(state).__name__}")
        params = dict(self.named_parameters())
        missing = [n for n in params if n not in state]
        unexpected = [n for n in state if n not in params]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"missing {len(missing)} (e.g. {', '.join(missing[:3])})")
            if unexpected:
                parts.append(f"unexpected {len(unexpected)} (e.g. {', '.join(map(str, unexpected[:3]))})")
            raise ValueError(
                f"state does not match this {type(self).__name__} ({len(params)} parameters): "
                + "; ".join(parts) + ". Build the model with the same sizes as the saved one."
            )
        values = {}
        for name, v in state.items():
            if isinstance(v, Value):
                v = v.data
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) or not math.isfinite(v):
                raise ValueError(f"parameter {name!r} must be a finite number, got {v!r:.60}")
            values[name] = float(v)
        for name, p in params.items():
            p.data = values[name]

    def config(self):
        """Constructor arguments that rebuild this model (None: not rebuildable from a file)."""
        return None

    @classmethod
    def parameter_count(cls, config: dict):
        """How many parameters ``cls(**config)`` has, worked out without building it
        (None: unknown). Model files are checked against it before a model is built."""
        return None

    # --- files --------------------------------------------------------------------------

    def save(self, path):
        """Write the model (config + parameters) to a JSON file, atomically; returns the path."""
        from .serialization import save

        return save(self, path)

    def _load_into(self, path):
        from .serialization import load_into

        load_into(self, path)
        return self

    @classmethod
    def _load_new(cls, path):
        from .serialization import load_new

        return load_new(path, expected=cls)

    load = _model_or_class_method(_load_new, _load_into)

    def to_torch(self, dtype=None):
        """The same model as a ``torch.nn.Module`` with the same weights (float64 unless ``dtype``)."""
        from .torch_bridge import to_torch

        return to_torch(self, dtype)

    # --- inference ----------------------------------------------------------------------

    def predict(self, X) -> np.ndarray:
        """Outputs for each row of ``X`` as floats: shape (n,) or (n, outputs); eval mode, no graph."""
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                outs = self._forward_many(_rows(X))
        finally:
            self.train(was_training)
        return np.array([[v.data for v in o] if isinstance(o, list) else o.data for o in outs])

    def __repr__(self) -> str:
        cfg = self.config()
        args = ", ".join(f"{k}={v!r}" for k, v in cfg.items()) if cfg else ""
        return f"{type(self).__name__}({args})"


def _rows(X) -> list:
    """The samples of ``X`` (a 2-D array or list of rows; a 1-D array is one value per row)."""
    X = np.asarray(X, dtype=float) if not isinstance(X, list) else X
    if isinstance(X, np.ndarray):
        if X.ndim == 1:
            return X.reshape(-1, 1).tolist()
        if X.ndim != 2:
            raise ValueError(f"expected a 2-D array of samples (n, features), got shape {X.shape}")
        return X.tolist()
    return X
