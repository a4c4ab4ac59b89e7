"""The idioms of Karpathy's micrograd lecture, run on scalargrad's Value: ``v._prev`` and
``v._op`` (read by the lecture's own topological sort and drawing), ``node._backward()``
(one node's step of the chain rule, called by hand), micrograd's constructor mistake, the
hand-built neuron's numbers and the lecture's training loop. Written for this suite."""
import math
import random

import pytest

import nn
from autograd import Value
from autograd.graph import topological_order


def _expression():
    """Fan-out (a used three times), a * a, a constant, pow, division, exp and tanh."""
    a, b, c = Value(0.7, label="a"), Value(-1.3, label="b"), Value(2.1, label="c")
    d = a * b + c
    e = (a * a).exp() / (d ** 2 + 1.0)
    out = (e - a).tanh() * 3.0 + b
    return (a, b, c), out


def _lecture_topo(root):
    """The lecture's recursive sort over ``_prev`` with a visited set (our own wording)."""
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for parent in v._prev:
                visit(parent)
            order.append(v)
    visit(root)
    return order


def test_prev_and_op_describe_each_node():
    _, out = _expression()
    for v in topological_order(out):
        assert v._op == v.op
        assert {id(p) for p in v._prev} == {id(p) for p in v.parents}
        assert bool(list(v._prev)) == bool(v.op), "a leaf has no parents and no op"


def test_the_lecture_sort_over_prev_puts_parents_first():
    _, out = _expression()
    order = _lecture_topo(out)
    position = {id(v): i for i, v in enumerate(order)}
    assert {id(v) for v in order} == {id(v) for v in topological_order(out)}
    for v in order:
        assert all(position[id(p)] < position[id(v)] for p in v._prev)


def test_walking_backward_by_hand_gives_backward():
    leaves, out = _expression()
    out.grad = 1.0
    for node in reversed(_lecture_topo(out)):
        node._backward()
    by_hand = [v.grad for v in leaves]
    leaves2, out2 = _expression()
    out2.backward()
    assert by_hand == pytest.approx([v.grad for v in leaves2], rel=1e-13)
    assert all(g != 0.0 for g in by_hand)


def test_one_backward_step_adds_local_derivative_times_grad():
    a, b = Value(3.0), Value(-4.0)
    c = a * b
    c.grad = 2.0
    c._backward()
    assert (a.grad, b.grad) == (2.0 * -4.0, 2.0 * 3.0)
    c._backward()  # it adds (+=): called twice, twice the contribution
    assert (a.grad, b.grad) == (2 * 2.0 * -4.0, 2 * 2.0 * 3.0)
    t = Value(0.5)
    y = t.tanh()
    y.grad = 1.0
    y._backward()
    assert t.grad == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-15)
    Value(1.0)._backward()  # a leaf: nothing to do, and no error


def test_micrographs_children_tuple_is_a_clear_error():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(TypeError, match="label"):
        Value(3.0, (a, b))


def test_the_hand_built_neuron_gives_the_lectures_numbers():
    """b is chosen so that n = atanh(1/√2): o = 1/√2 and do/dn = 1 - o² = 1/2."""
    for expanded in (False, True):
        x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
        w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
        b = Value(6.8813735870195432, label="b")
        n = x1 * w1 + x2 * w2 + b
        if expanded:  # the second half writes tanh out with exp
            e = (2 * n).exp()
            o = (e - 1) / (e + 1)
        else:
            o = n.tanh()
        o.backward()
        assert o.data == pytest.approx(math.sqrt(0.5), rel=1e-12)
        assert [x1.grad, w1.grad, x2.grad, w2.grad, b.grad] == pytest.approx([-1.5, 1.0, 0.5, 0.0, 0.5], abs=1e-6)


def test_the_lectures_training_loop_runs_and_learns():
    random.seed(1337)
    model = nn.MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh")
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(30):
        ypred = [model(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        if not losses:  # the first step's gradient, checked against central differences
            p, h = model.parameters()[5], 1e-6
            p.data += h
            up = sum((model(x).data - y) ** 2 for x, y in zip(xs, ys))
            p.data -= 2 * h
            down = sum((model(x).data - y) ** 2 for x, y in zip(xs, ys))
            p.data += h
            assert p.grad == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-8)
        for p in model.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    assert losses[-1] < losses[0] / 4
