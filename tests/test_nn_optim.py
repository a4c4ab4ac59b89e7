"""Optimizers and schedules against torch.optim on the same parameters and gradients."""
import math

import pytest

import nn
from autograd import Value

START = [0.5, -1.5, 2.0, 0.0]


def _grads(step, data):
    """A gradient that changes with the step and the parameters (as in training)."""
    return [math.sin(3 * d + step) + 0.1 * d for d in data]


def _run_ours(make, steps=6):
    params = [Value(v) for v in START]
    opt = make(params)
    for k in range(steps):
        opt.zero_grad()
        for p, g in zip(params, _grads(k, [p.data for p in params])):
            p.grad += g
        opt.step()
    return [p.data for p in params]


def _run_torch(make, steps=6):
    torch = pytest.importorskip("torch")
    t = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([t])
    for k in range(steps):
        opt.zero_grad()
        t.grad = torch.tensor(_grads(k, t.detach().tolist()), dtype=torch.float64)
        opt.step()
    return t.detach().tolist()


CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.01)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
]


@pytest.mark.parametrize("name,kw", CONFIGS)
def test_optimizer_matches_torch(name, kw):
    torch = pytest.importorskip("torch")
    ours = _run_ours(lambda ps: getattr(nn.optim, name)(ps, **kw))
    ref = _run_torch(lambda ps: getattr(torch.optim, name)(ps, **kw))
    assert ours == pytest.approx(ref, rel=1e-10, abs=1e-12)
    assert ours != pytest.approx(START)


def test_sgd_by_hand_and_no_graph():
    p = Value(1.0)
    opt = nn.optim.SGD([p], lr=0.5, momentum=0.9)
    p.grad = 2.0
    opt.step()                      # v = 2, p = 1 - 0.5*2
    assert p.data == 0.0 and p.op == "" and p.parents == ()
    p.grad = 1.0
    opt.step()                      # v = 0.9*2 + 1 = 2.8
    assert p.data == pytest.approx(-1.4)
    opt.zero_grad()
    assert p.grad == 0.0


def test_adam_first_step_is_lr_times_sign():
    ps = [Value(1.0), Value(1.0)]
    opt = nn.optim.Adam(ps)  # PyTorch's default lr, 1e-3
    ps[0].grad, ps[1].grad = 5.0, -0.001
    opt.step()
    assert [p.data for p in ps] == pytest.approx([1 - 1e-3, 1 + 1e-3], rel=1e-6)


@pytest.mark.parametrize("name,kw", [("StepLR", dict(step_size=2, gamma=0.5)),
                                     ("ExponentialLR", dict(gamma=0.9)),
                                     ("LinearLR", dict(start_factor=0.25, end_factor=1.0, total_iters=4))])
def test_schedulers_match_torch(name, kw):
    torch = pytest.importorskip("torch")
    ours = nn.optim.SGD([Value(0.0)], lr=0.2)
    sched = getattr(nn.optim, name)(ours, **kw)
    t = torch.zeros(1, requires_grad=True)
    topt = torch.optim.SGD([t], lr=0.2)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kw)
    lrs, ref = [], []
    for _ in range(7):
        lrs.append(ours.lr)
        ref.append(topt.param_groups[0]["lr"])
        ours.step(), sched.step(), topt.step(), tsched.step()
    assert lrs == pytest.approx(ref, rel=1e-12)
    assert len(set(lrs)) > 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="no parameters"):
        nn.optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        nn.optim.Adam([Value(1.0)], lr=-1)
    with pytest.raises(TypeError, match="Values"):
        nn.optim.SGD([1.0], lr=0.1)
    model = nn.MLP(2, [2, 1])
    assert nn.optim.SGD(model, lr=0.1).params == model.parameters()


def test_step_without_zero_grad_warns():
    from autograd.guards import TeachingWarning

    p = Value(1.0)
    opt = nn.optim.SGD([p], lr=0.1)
    p.grad = 1.0
    opt.step()
    with pytest.warns(TeachingWarning, match="zero"):
        opt.step()
