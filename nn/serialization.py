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
import re
import secrets
import socket
import stat
import time

FORMAT = "scalargrad-model"
VERSION = 1


class ModelFileError(ValueError):
    """A model file is unreadable, corrupt, or does not fit the model it is loaded into."""


def save(model, path) -> str:
    """Write ``model`` to ``path``: a temp file in the same folder, then ``os.replace``, so a
    crash never leaves a half-written model. A missing folder is created (as ``Graph.save``
    does). A new file gets the usual mode (0666 minus the umask); an existing file keeps its
    own. Temp files a killed save left behind for this path are removed (see ``_stale_temps``)."""
    path = os.fspath(path)
    state = model.state_dict()
    bad = [n for n, v in state.items() if not math.isfinite(v)]
    if bad:
        raise ValueError(f"cannot save: parameter {bad[0]!r} is {state[bad[0]]} "
                         f"({len(bad)} non-finite values); the training diverged")
    if os.path.isdir(path):
        raise ModelFileError(f"{path!r} is a folder; give a file name such as "
                             f"{os.path.join(path, 'model.json')!r}")
    doc = {"format": FORMAT, "version": VERSION, "class": type(model).__name__,
           "config": model.config(), "parameters": state}
    text = json.dumps(doc, indent=1)
    folder, name = os.path.split(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # an existing file keeps its mode
    except OSError:
        mode = None
    tmp = os.path.join(folder, _temp_name(name))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)  # umask applies
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text + "\n")
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    for stale in _stale_temps(folder, name):
        try:
            os.remove(stale)
        except OSError:  # gone already, or not ours to remove
            pass
    return path


# A save writes ".<file name>.save-<pid>@<host>.<random>.tmp" next to the file, so a temp
# file can be traced to the save that made it.
HOST = re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:64] or "host"
STALE_AFTER = 24 * 3600  # seconds: a temp file this old is left over, whoever made it


def _temp_name(name: str) -> str:
    return f".{name}.save-{os.getpid()}@{HOST}.{secrets.token_hex(4)}.tmp"


def _stale_temps(folder: str, name: str) -> list:
    """Temp files of saves to ``name`` that can no longer finish: made on this host by a
    process that is gone (POSIX), or older than ``STALE_AFTER`` (any host or system)."""
    pattern = re.compile(r"\." + re.escape(name) + r"\.save-(\d+)@([A-Za-z0-9_-]+)\.[0-9a-f]{8}\.tmp")
    stale = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return stale
    for entry in entries:
        m = pattern.fullmatch(entry)
        if not m:
            continue
        full = os.path.join(folder, entry)
        pid, host = int(m.group(1)), m.group(2)
        try:
            old = time.time() - os.stat(full).st_mtime > STALE_AFTER
        except OSError:
            continue
        if old or (host == HOST and pid != os.getpid() and not _alive(pid)):
            stale.append(full)
    return stale


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX; elsewhere assumed alive: age decides)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def read(path) -> dict:
    """The checked contents of a model file (raises ModelFileError saying what is wrong)."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ModelFileError(f"no model file at {path!r}") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path!r} is a folder, not a model file; give the file's name") from None
    except OSError as e:  # permission denied, a device, ...
        raise ModelFileError(f"cannot read the model file {path!r}: {e.strerror or e}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelFileError(f"{path!r} is not a valid model file (corrupt JSON: {e})") from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits (Python's int limit)
        raise ModelFileError(f"{path!r} is corrupt: {e}") from None
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
