"""Where scalargrad uses a PyTorch name, it uses PyTorch's defaults and updates: checked
against torch itself (skipped without torch), and AdamW step by step against torch.optim.AdamW."""
import inspect

import numpy as np
import pytest

import nn
from autograd import Value

# (our callable, torch's dotted name, the arguments whose defaults must agree)
SAME_DEFAULTS = [
    (nn.optim.SGD, "optim.SGD", ["lr", "momentum", "weight_decay"]),
    (nn.optim.Adam, "optim.Adam", ["lr", "betas", "eps", "weight_decay"]),
    (nn.optim.AdamW, "optim.AdamW", ["lr", "betas", "eps", "weight_decay"]),
    (nn.optim.StepLR, "optim.lr_scheduler.StepLR", ["gamma"]),
    (nn.optim.LinearLR, "optim.lr_scheduler.LinearLR", ["start_factor", "end_factor", "total_iters"]),
    (nn.data.DataLoader, "utils.data.DataLoader", ["batch_size", "shuffle"]),
    (nn.Dropout, "nn.Dropout", ["p"]),
    (nn.leaky_relu, "nn.functional.leaky_relu", ["negative_slope"]),
]


def _torch_attr(torch, dotted):
    obj = torch
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("ours,theirs,names", SAME_DEFAULTS, ids=[t for _, t, _ in SAME_DEFAULTS])
def test_defaults_are_pytorchs(ours, theirs, names):
    torch = pytest.importorskip("torch")
    mine = inspect.signature(ours).parameters
    ref = inspect.signature(_torch_attr(torch, theirs)).parameters
    for name in names:
        want = ref[name].default
        if name == "shuffle" and want is None:  # torch: None means "not shuffled"
            want = False
        assert mine[name].default == want, \
            f"{ours.__qualname__}({name}=...) defaults to {mine[name].default!r}, torch's to {want!r}"


def test_defaults_without_torch():
    """The same defaults, written down, so they are pinned where torch is not installed too."""
    assert nn.optim.Adam([Value(0.0)]).lr == 1e-3
    opt = nn.optim.AdamW([Value(0.0)])
    assert (opt.lr, opt.betas, opt.eps, opt.weight_decay) == (1e-3, (0.9, 0.999), 1e-8, 1e-2)
    assert nn.optim.SGD([Value(0.0)]).lr == 1e-3
    loader = nn.data.DataLoader(np.arange(5.0), np.arange(5))
    assert len(loader) == 5 and [yb.tolist() for _, yb in loader] == [[0], [1], [2], [3], [4]]


def _adamw_runs(lr, weight_decay, betas, steps=8):
    """(ours, torch's) parameter values after each step on the same quadratic-ish loss."""
    torch = pytest.importorskip("torch")
    start = np.array([0.5, -1.5, 2.0, 0.0])
    ps = [Value(float(v)) for v in start]
    t = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    kw = dict(betas=betas, weight_decay=weight_decay) if weight_decay is not None else dict(betas=betas)
    ours = nn.optim.AdamW(ps, lr=lr, **kw)
    theirs = torch.optim.AdamW([t], lr=lr, amsgrad=False, **kw)
    mine, ref = [], []
    for step in range(steps):
        target = np.array([1.0, -1.0, 0.5, 3.0]) * (1 + 0.1 * step)
        loss = sum((p * p * 0.5 + p.tanh()) * (p - float(c)) for p, c in zip(ps, target))
        ours.zero_grad()
        loss.backward()
        ours.step()
        tloss = ((t * t * 0.5 + t.tanh()) * (t - torch.tensor(target))).sum()
        theirs.zero_grad()
        tloss.backward()
        theirs.step()
        mine.append([p.data for p in ps])
        ref.append(t.detach().numpy().copy())
    return np.array(mine), np.array(ref), start


@pytest.mark.parametrize("lr,weight_decay,betas", [(1e-3, None, (0.9, 0.999)),   # torch's defaults (wd 1e-2)
                                                   (0.05, 0.0, (0.9, 0.999)),
                                                   (0.05, 0.3, (0.8, 0.99)),
                                                   (0.2, 1.0, (0.5, 0.9))])
def test_adamw_follows_torch_step_by_step(lr, weight_decay, betas):
    mine, ref, start = _adamw_runs(lr, weight_decay, betas)
    assert np.abs(mine[-1] - start).max() > lr, "the parameters should have moved"
    np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-13)


def test_adamw_decay_is_decoupled_not_l2():
    """With a zero gradient AdamW still shrinks p by lr·wd·p; Adam's L2 decay instead feeds wd·p
    through the moments, so after one step it moves p by lr (a sign step), not by lr·wd·p."""
    p, q = Value(2.0), Value(2.0)
    adamw, adam = nn.optim.AdamW([p], lr=0.1, weight_decay=0.5), nn.optim.Adam([q], lr=0.1, weight_decay=0.5)
    adamw.step()
    adam.step()
    assert p.data == pytest.approx(2.0 * (1 - 0.1 * 0.5), rel=1e-15)
    assert q.data == pytest.approx(2.0 - 0.1, rel=1e-6)
