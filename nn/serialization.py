"""Model files: human-readable JSON with a format tag, the model's config and its
parameters by dotted name. Writes are atomic; loads check everything before changing
anything, so a bad file leaves the model as it was.

    {"format": "scalargrad-model", "version": 1, "class": "MLP",
     "config": {"nin": 2, "sizes": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.123, ...}}
"""
from __future__ import annotations

import json
import math
import os
import tempfile

FORMAT = "scalargrad-model"
VERSION = 1


class ModelFileError(ValueError):
    """A model file is unreadable, corrupt, or does not fit the model it is loaded into."""


def save(model, path) -> str:
    """Write ``model`` to ``path`` (temp file in the same folder, then os.replace)."""
    path = os.fspath(path)
    state = model.state_dict()
    bad = [n for n, v in state.items() if not math.isfinite(v)]
    if bad:
        raise ValueError(f"cannot save: parameter {bad[0]!r} is {state[bad[0]]} "
                         f"({len(bad)} non-finite values); the training diverged")
    doc = {"format": FORMAT, "version": VERSION, "class": type(model).__name__,
           "config": model.config(), "parameters": state}
    text = json.dumps(doc, indent=1)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def read(path) -> dict:
    """The checked contents of a model file (raises ModelFileError saying what is wrong)."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ModelFileError(f"no model file at {path!r}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelFileError(f"{path!r} is not a valid model file (corrupt JSON: {e})") from None
    except RecursionError:
        raise ModelFileError(f"{path!r} is not a valid model file (JSON nested too deeply)") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ModelFileError(f"{path!r} is not a scalargrad model file (no format tag {FORMAT!r}); "
                             "save models with model.save(path)")
    if doc.get("version") != VERSION:
        raise ModelFileError(f"{path!r} has model file version {doc.get('version')!r}; "
                             f"this scalargrad reads version {VERSION}")
    params = doc.get("parameters")
    if not isinstance(params, dict) or not isinstance(doc.get("class"), str):
        raise ModelFileError(f"{path!r} is corrupt: missing 'class' or 'parameters'")
    if not isinstance(doc.get("config", {}), (dict, type(None))):
        raise ModelFileError(f"{path!r} is corrupt: 'config' is {type(doc['config']).__name__}, not an object")
    for name, v in params.items():
        if not _is_finite_number(v):
            raise ModelFileError(f"{path!r} is corrupt: parameter {name!r} is {v!r:.60}, not a finite number")
    return doc


def _is_finite_number(v) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer too large for a float
        return False


def load_into(model, path) -> None:
    """Set ``model``'s parameters from the file; the file must hold a model of the same shape."""
    _assign(model, read(path), path)


def _assign(model, doc: dict, path) -> None:
    cls = type(model).__name__
    if doc["class"] != cls:
        raise ModelFileError(f"{os.fspath(path)!r} holds a {doc['class']}, not a {cls}; "
                             f"load it with nn.{doc['class']}.load(path)")
    config = model.config()
    if config is not None and doc.get("config") is not None and _architecture(doc["config"]) != _architecture(config):
        raise ModelFileError(f"{os.fspath(path)!r} holds a {cls} with config {doc['config']}, "
                             f"but this model has {config}; build a model of the saved shape or "
                             f"use nn.{cls}.load(path)")
    try:
        model.load_state_dict(doc["parameters"])
    except ValueError as e:
        raise ModelFileError(f"{os.fspath(path)!r} does not fit this model: {e}") from None


def load_new(path, expected=None):
    """A new model built from the file's class and config, with its parameters."""
    from .module import REGISTRY, Module

    doc = read(path)
    cls = REGISTRY.get(doc["class"])
    if cls is None:
        raise ModelFileError(f"{os.fspath(path)!r} holds a {doc['class']!r}, which is not a known model class")
    if expected is not None and expected is not Module and not issubclass(cls, expected):
        raise ModelFileError(f"{os.fspath(path)!r} holds a {doc['class']}, not a {expected.__name__}")
    config = doc.get("config")
    if not isinstance(config, dict):
        raise ModelFileError(f"{os.fspath(path)!r} has no config to rebuild a {doc['class']} from; "
                             "build the model yourself, then call model.load(path)")
    try:  # the size the config implies, checked against the file before anything is built
        count = cls.parameter_count(config)
    except (TypeError, ValueError, KeyError) as e:
        raise ModelFileError(f"{os.fspath(path)!r} is corrupt: its config {config} does not describe a "
                             f"{doc['class']} ({e})") from None
    if count is not None and count != len(doc["parameters"]):
        raise ModelFileError(f"{os.fspath(path)!r} is corrupt: its config describes a {doc['class']} with "
                             f"{count} parameters, but the file holds {len(doc['parameters'])}")
    try:
        model = cls(**config)
    except (TypeError, ValueError) as e:
        raise ModelFileError(f"{os.fspath(path)!r} is corrupt: its config {config} does not build a "
                             f"{doc['class']} ({e})") from None
    _assign(model, doc, path)
    return model


def _architecture(config: dict) -> dict:
    """The parts of a config that decide what the model computes (sizes and activations)."""
    return {k: v for k, v in config.items()
            if k in ("nin", "nout", "sizes", "activation", "output_activation")}
