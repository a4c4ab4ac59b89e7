"""The fused neuron node: same values and gradients as micrograd's fine-grained graph."""
import math

import numpy as np
import pytest

import nn
from autograd import Value, gradcheck, numerical_grad
from nn.fused import NEURON, activation_rule, neuron, neuron_rule
from autograd.ops import ARRAY, SCALAR

ACTS = ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu"]


def _grads_and_out(model, x, fused):
    model.fused = fused
    for p in model.parameters():
        p.grad = 0.0
    xs = [Value(v) for v in x]
    out = model(xs)
    outs = out if isinstance(out, list) else [out]
    loss = sum((o * (i + 1) for i, o in enumerate(outs)), Value(0.0))
    loss.backward()
    return [o.data for o in outs], [p.grad for p in model.parameters()], [v.grad for v in xs], out


@pytest.mark.parametrize("act", ACTS)
def test_fused_and_fine_grained_graphs_agree(act):
    model = nn.MLP(3, [4, 4, 2], activation=act, output_activation="tanh", seed=3)
    x = [0.3, -0.7, 1.1]
    out_f, gp_f, gx_f, root_f = _grads_and_out(model, x, True)
    out_u, gp_u, gx_u, root_u = _grads_and_out(model, x, False)
    assert out_f == pytest.approx(out_u, rel=1e-12, abs=1e-15)
    assert gp_f == pytest.approx(gp_u, rel=1e-12, abs=1e-15)
    assert gx_f == pytest.approx(gx_u, rel=1e-12, abs=1e-15)
    assert any(g != 0 for g in gp_f) or act == "step"
    assert root_f[0].op == "neuron_tanh"  # the activation is recorded in the op string
    assert root_u[0].op == "tanh" and root_u[0].parents[0].op == "+"


def test_global_switch_builds_micrograd_graph():
    model = nn.MLP(2, [3, 1], seed=0)
    try:
        nn.set_fused(False)
        assert not nn.is_fused()
        out = model([1.0, 2.0])
        assert out.op == "+"  # identity output: the last + of b + w0*x0 + w1*x1 + w2*x2
        ops = set()
        stack = [out]
        while stack:
            v = stack.pop()
            ops.add(v.op)
            stack.extend(v.parents)
        assert {"*", "+", "relu"} <= ops and "neuron" not in ops
    finally:
        nn.set_fused(True)
    assert model([1.0, 2.0]).op == "neuron"
    model.fused = False  # per model: overrides the global switch
    assert model([1.0, 2.0]).op == "+"


def test_node_layout_parents_and_local_grads():
    w = [Value(0.5), Value(-2.0)]
    b = Value(0.25)
    x = [Value(1.5), Value(0.1)]
    y = neuron(w, b, x, "tanh")
    z = 0.5 * 1.5 + -2.0 * 0.1 + 0.25
    d = 1 - math.tanh(z) ** 2
    assert y.op == "neuron_tanh" and y.parents == (*w, b, *x)
    assert y.data == pytest.approx(math.tanh(z))
    assert y.local_grads == pytest.approx((d * 1.5, d * 0.1, d, d * 0.5, d * -2.0))
    assert NEURON.name == "neuron" and "dy/dw_i = x_i" in NEURON.math


@pytest.mark.parametrize("act", ["identity", "sigmoid", "tanh", "relu", "leaky_relu"])
def test_fused_neuron_gradcheck(act):
    def f(w0, w1, b, x0, x1):
        return neuron([w0, w1], b, [x0, x1], act)

    assert gradcheck(f, [0.7, -1.3, 0.2, 0.9, 0.4])
    assert gradcheck(f, [-0.7, -1.3, 0.2, 0.9, 0.4])


def test_rule_on_arrays_matches_floats():
    rng = np.random.default_rng(0)
    w, b = [0.3, -1.2, 0.8], 0.1
    xs = [rng.normal(size=5) for _ in range(3)]
    for act in ["relu", "tanh", None]:
        rule = activation_rule(act)
        y, local = neuron_rule(ARRAY, w, b, xs, rule)
        for s in range(5):
            ys, ls = neuron_rule(SCALAR, w, b, [x[s] for x in xs], rule)
            assert y[s] == pytest.approx(ys)
            assert [np.broadcast_to(g, (5,))[s] for g in local] == pytest.approx(list(ls))


def test_numbers_as_inputs_and_bad_lengths():
    w = [Value(1.0), Value(2.0)]
    y = neuron(w, Value(0.0), [3, 4.0])
    assert y.data == 11.0 and all(p.op == "" for p in y.parents)
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        neuron(w, Value(0.0), [1, 2, 3])
    with pytest.raises(ValueError, match="unknown activation"):
        activation_rule("softmaxx")


def test_batched_inputs_give_the_per_sample_gradients():
    if not hasattr(Value, "batch"):
        pytest.skip("engine without batched Values")
    X, y = nn.data.make_moons(30, seed=0)
    model = nn.MLP(2, [6, 6, 1], activation="tanh", seed=0)
    out = model([Value.batch(X[:, 0]), Value.batch(X[:, 1])])
    assert out.op == "neuron" and out.data.shape == (30,)
    ((out - Value.batch(y.astype(float))) ** 2).mean().backward()
    batched = [p.grad for p in model.parameters()]
    model.zero_grad()
    nn.mse_loss([model(x) for x in X], y).backward()
    assert batched == pytest.approx([p.grad for p in model.parameters()], rel=1e-9, abs=1e-12)


# --- a layer's neurons on one sample: factored local grads, kept plans -------------------

def _fine_grained_grads(model, x):
    model.fused = False
    try:
        model.zero_grad()
        out = model(x)
        (out if isinstance(out, Value) else sum(out, Value(0.0))).backward()
        return [p.grad for p in model.parameters()]
    finally:
        model.fused = None


def test_neuron_grads_read_like_the_tuple_of_neuron_rule():
    model = nn.MLP(3, [4, 2], activation="tanh", seed=1)
    out = model([0.3, -0.7, 1.1])[0]
    hidden = out.parents[len(out.parents) // 2 + 1:]
    for node in (out, *hidden):
        n = (len(node.parents) - 1) // 2
        w, b, x = node.parents[:n], node.parents[n], node.parents[n + 1:]
        _, expected = neuron_rule(SCALAR, [p.data for p in w], b.data, [v.data for v in x],
                                  activation_rule("tanh" if node is not out else None))
        local = node.local_grads
        assert type(local).__name__ == "NeuronGrads"
        assert len(local) == len(expected) and list(local) == list(expected)
        assert [local[i] for i in range(-len(local), len(local))] == list(expected) * 2
        assert local[1:3] == expected[1:3] and local == expected
        with pytest.raises(IndexError):
            local[len(expected)]


def test_inner_outputs_used_twice_and_backward_from_an_inner_node():
    model = nn.MLP(2, [3, 3, 1], activation="tanh", seed=2)
    x = [Value(0.4), Value(-0.9)]
    hidden = model.layers[0](x)
    out = model.layers[2](model.layers[1](hidden))
    loss = out * hidden[0] + hidden[1]  # layer-1 outputs feed layer 2 and the loss
    loss.backward()
    got = [p.grad for p in model.parameters()] + [v.grad for v in x]

    def f(*values):
        for p, v in zip(model.parameters(), values):
            p.data = v.data
        h = model.layers[0](list(values[-2:]))
        return model.layers[2](model.layers[1](h)) * h[0] + h[1]

    start = [p.data for p in model.parameters()] + [v.data for v in x]
    numeric = numerical_grad(f, start)
    for p, v in zip(model.parameters(), start):
        p.data = v
    assert got == pytest.approx(numeric, rel=1e-5, abs=1e-7)
    loss.zero_grad()  # the whole graph, so that the next backward() starts afresh
    hidden[2].backward()  # an inner node: only layer 0's parameters get gradient
    grads = {name: p.grad for name, p in model.named_parameters()}
    assert any(g != 0 for k, g in grads.items() if k.startswith("layers.0.neurons.2"))
    assert all(g == 0 for k, g in grads.items() if not k.startswith("layers.0.neurons.2"))


def test_replacing_a_weight_in_place_is_seen_by_the_next_forward():
    model = nn.MLP(2, [2, 1], activation="tanh", seed=0)
    x = [0.5, -1.5]
    model(x)  # the layers keep their plans from this call
    neuron = model.layers[0].neurons[1]
    new_w = Value(3.0)
    neuron.w[0] = new_w  # a new Value in the same list
    out = model(x)
    out.backward()
    assert new_w.grad != 0.0
    assert out.data == pytest.approx(_fine_out(model, x))
    a = Value(0.5)
    neuron.w[1] = a * 4.0  # a weight that is not a leaf: its gradient flows on to a
    model.zero_grad()
    model(x).backward()
    assert a.grad == pytest.approx(_fine_grained_grads_of(model, x, a))
    neuron.b = Value(-1.0)  # a new bias, by attribute
    assert model(x).data == pytest.approx(_fine_out(model, x))


def _fine_out(model, x):
    model.fused = False
    try:
        return model(x).data
    finally:
        model.fused = None


def _fine_grained_grads_of(model, x, v):
    model.fused = False
    try:
        v.grad = 0.0
        model(x).backward()
        return v.grad
    finally:
        model.fused = None


def test_weights_changed_between_calls_are_read_again():
    model = nn.MLP(2, [3, 1], seed=4)
    x = [0.2, 0.7]
    first = model(x).data
    for p in model.parameters():
        p.data += 0.25
    second = model(x)
    assert second.data != first
    assert second.data == pytest.approx(_fine_out(model, x))
    nn.set_fused(False)
    try:
        assert model(x).op != "neuron"  # the global switch is seen too
    finally:
        nn.set_fused(True)
    assert model(x).op == "neuron"


def _grads_by_public_neurons(model, rows):
    """The same per-sample graphs from nn.fused.neuron (local grads as plain tuples)."""
    model.zero_grad()
    outs = []
    for row in rows:
        xs = [Value(v) for v in row]
        for layer in model.layers:
            xs = [neuron(n.w, n.b, xs, n.activation) for n in layer.neurons]
        outs.append(xs[0])
    sum(outs[1:], outs[0]).backward()
    return [p.grad for p in model.parameters()]


@pytest.mark.parametrize("bad", [None, math.inf, -math.inf])
def test_weight_grads_summed_over_samples_at_the_end_of_backward(bad):
    model = nn.MLP(3, [5, 4, 1], activation="relu", seed=7)
    rows = np.random.default_rng(1).normal(size=(12, 3)).tolist()
    if bad is not None:
        rows[3][1] = bad  # an infinite input: neurons it kills must not turn 0·inf into nan
    expected = _grads_by_public_neurons(model, rows)
    model.zero_grad()
    outs = [model(row) for row in rows]
    sum(outs[1:], outs[0]).backward()
    got = [p.grad for p in model.parameters()]
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12, nan_ok=True)
    assert any(g != 0 for g in got)
    if bad is None:  # and micrograd's graph agrees
        model.fused = False
        model.zero_grad()
        outs = [model(row) for row in rows]
        sum(outs[1:], outs[0]).backward()
        fine = [p.grad for p in model.parameters()]
        model.fused = None
        assert got == pytest.approx(fine, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("clone", ["deepcopy", "pickle"])
def test_a_copied_model_builds_its_graph_from_its_own_weights(clone):
    import copy
    import pickle

    model = nn.MLP(2, [3, 1], seed=5)
    x = [0.5, -0.2]
    before = model(x).data  # the layers keep their plans from this call
    other = copy.deepcopy(model) if clone == "deepcopy" else pickle.loads(pickle.dumps(model))
    for p in other.parameters():
        p.data += 0.5
    other(x).backward()
    assert model(x).data == before and other(x).data != before
    assert all(p.grad == 0.0 for p in model.parameters())
    assert any(p.grad != 0.0 for p in other.parameters())


# --- the variadic ops nn adds to autograd.OPS: each one's rule against central differences ---

def _variadic_points():
    """Per variadic op: (xp, operands, params) inside its domain."""
    import numpy as np

    rng = np.random.default_rng(1)
    neuron = [0.5, -1.2, 0.3, 0.9, 0.7]  # w0, w1, b, x0, x1: z = 0.45 + 0.3 - 0.84 ≠ 0 (kinks avoided)
    logits = [rng.normal(size=4) for _ in range(3)]
    onehot = (np.array([0, 2, 1, 2]) == np.arange(3)[:, None]).astype(float)
    points = {"neuron": (SCALAR, neuron, {}), "square_sum": (SCALAR, [0.5, -1.5, 2.0], {}),
              "logsumexp": (ARRAY, logits, {}), "cross_entropy": (ARRAY, logits, {"onehot": onehot})}
    from autograd import OPS

    for name in OPS:  # the fused neuron with each activation ("neuron_tanh", ...)
        if name.startswith("neuron_") and not name.endswith("for_test"):
            points[name] = (SCALAR, neuron, {})
    return points


def test_every_variadic_op_has_points_and_its_math():
    from autograd import OPS

    variadic = {name for name, op in OPS.items() if op.arity == -1 and not name.endswith("for_test")}
    assert variadic - set(_variadic_points()) == set()
    assert {"neuron", "neuron_tanh", "neuron_relu", "square_sum", "logsumexp", "cross_entropy"} <= variadic
    for name in variadic:
        assert "=" in OPS[name].math and "dy/d" in OPS[name].math, name


@pytest.mark.parametrize("name", sorted(_variadic_points()))
def test_variadic_op_rule_matches_central_differences(name):
    import numpy as np
    from autograd import OPS

    xp, point, params = _variadic_points()[name]
    rule = OPS[name].rule
    _, local = rule(xp, *point, **params)
    assert len(local) == len(point)
    h = 1e-6
    for i in range(len(point)):
        hi, lo = list(point), list(point)
        hi[i] = hi[i] + h
        lo[i] = lo[i] - h
        numeric = (np.asarray(rule(xp, *hi, **params)[0]) - np.asarray(rule(xp, *lo, **params)[0])) / (2 * h)
        np.testing.assert_allclose(local[i], numeric, rtol=1e-5, atol=1e-7, err_msg=f"{name} operand {i}")


def test_the_fused_neuron_records_its_activation_and_viz_reads_it():
    from viz.scene import neuron_activation

    for act in ["relu", "tanh", "sigmoid", "leaky_relu", "step", None]:
        model = nn.MLP(2, [3, 1], activation="tanh", output_activation=act, seed=1)
        out = model([0.2, -0.4])
        assert out.op == ("neuron" if act is None else f"neuron_{act}")
        assert neuron_activation(out) == (act or "identity")
    # the activation is read from the op even where the values cannot tell (z = 0: relu and step
    # both give y = 0 with slope 0), and without the model
    w, b = [Value(1.0)], Value(0.0)
    for act in ("relu", "step"):
        assert neuron_activation(neuron(w, b, [0.0], act)) == act


@pytest.mark.parametrize("act", ["identity", "tanh", "relu", "sigmoid", "leaky_relu", "softplus", "step"])
def test_fused_neuron_ops_match_pytorch(act):
    torch = pytest.importorskip("torch")
    from autograd import OPS

    F = torch.nn.functional
    fn = {"identity": lambda z: z, "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
          "leaky_relu": lambda z: F.leaky_relu(z, 0.01), "softplus": F.softplus,
          "step": lambda z: (z > 0).to(z.dtype)}[act]
    point = [0.5, -1.2, 0.3, 0.9, 0.7]  # w0, w1, b, x0, x1
    rule = OPS["neuron" if act == "identity" else f"neuron_{act}"].rule
    y, local = rule(SCALAR, *point)
    t = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    ty = fn(t[0] * t[3] + t[1] * t[4] + t[2])
    grads = torch.autograd.grad(ty, t, allow_unused=True) if ty.requires_grad else [None] * 5
    assert y == pytest.approx(ty.item(), rel=1e-12, abs=1e-15)
    assert list(local) == pytest.approx([0.0 if g is None else g.item() for g in grads], rel=1e-12, abs=1e-15)
