"""Teaching warnings point at the user's own line (this file), not at the package that raised them."""
import os
import warnings

import numpy as np
import pytest

import nn
import viz
from autograd import Value, user_warnings

HERE = os.path.abspath(__file__)


def _line_of(marker: str) -> int:
    with open(HERE, encoding="utf-8") as f:
        return next(i for i, line in enumerate(f, 1) if marker in line and "_line_of" not in line)


def test_the_walk_skips_every_frame_inside_the_packages():
    """A warning raised two calls deep inside (fake) package files lands on our call."""
    inside = os.path.join(os.path.dirname(user_warnings.__file__), os.pardir, "viz", "_fake_inner.py")
    namespace = {"user_warnings": user_warnings}
    code = ("def inner():\n    user_warnings.warn('look here', UserWarning)\n"
            "def outer():\n    inner()\n")
    exec(compile(code, os.path.abspath(inside), "exec"), namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["outer"]()  # <- warn:walk
    (w,) = caught
    assert (os.path.abspath(w.filename), w.lineno) == (HERE, _line_of("<- warn:walk"))


def test_a_direct_call_from_user_code_points_at_the_call():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        user_warnings.warn("plain", RuntimeWarning)  # <- warn:direct
    (w,) = caught
    assert w.category is RuntimeWarning
    assert (os.path.abspath(w.filename), w.lineno) == (HERE, _line_of("<- warn:direct"))


def test_a_warning_from_nn_points_at_the_users_line():
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0])
    model = nn.MLP(1, [1], seed=0)
    with pytest.warns(RuntimeWarning, match="the loss became") as caught:
        nn.fit(model, nn.mse_loss, nn.optim.SGD(model.parameters(), lr=1e200), (X, y), epochs=3, progress=False)  # <- warn:nn
    (w,) = [w for w in caught if "the loss became" in str(w.message)]
    assert (os.path.abspath(w.filename), w.lineno) == (HERE, _line_of("<- warn:nn"))


def test_a_warning_raised_while_drawing_points_at_the_users_line():
    """Drawing grads that backward() never filled in warns (autograd.guards), at this line."""
    a = Value(2.0, label="a")
    out = (a * a).tanh()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        viz.draw_dot(out)  # <- warn:viz
    teaching = [w for w in caught if "backward" in str(w.message)]
    assert teaching, "drawing an un-backpropagated graph should warn"
    for w in teaching:
        assert (os.path.abspath(w.filename), w.lineno) == (HERE, _line_of("<- warn:viz")), (w.filename, w.lineno)
