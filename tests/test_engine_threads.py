"""Grad mode per thread, re-entrant no_grad, gc_paused nesting, and backward passes that
share nothing: two threads training two models get the gradients of one thread alone."""
import gc
import sys
import threading

import numpy as np
import pytest

import nn
from autograd import Value, gc_paused, is_grad_enabled, no_grad, set_grad_enabled


def test_recursive_no_grad_function_leaves_recording_on():
    @no_grad()
    def depth(n):
        assert not is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5
    assert is_grad_enabled()
    x = Value(2.0)
    y = x * x
    y.backward()
    assert x.grad == 4.0


def test_the_same_no_grad_object_nested_and_after_an_exception():
    block = no_grad()
    with block:
        with block:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()
    with pytest.raises(ZeroDivisionError):
        with block:
            raise ZeroDivisionError
    assert is_grad_enabled()

    @no_grad()
    def fails(n):
        if n == 0:
            raise ValueError("bottom")
        fails(n - 1)

    with pytest.raises(ValueError):
        fails(3)
    assert is_grad_enabled()


def test_no_grad_inside_set_grad_enabled_false_restores_off():
    set_grad_enabled(False)
    try:
        with no_grad():
            pass
        assert not is_grad_enabled()
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled()


def test_no_grad_in_one_thread_does_not_stop_recording_in_another():
    inside, go_on, seen = threading.Event(), threading.Event(), {}

    def other():
        with no_grad():
            inside.set()
            go_on.wait(5)
            seen["other"] = (Value(1.0) * 2.0).parents

    t = threading.Thread(target=other)
    t.start()
    assert inside.wait(5)
    x = Value(3.0)
    y = x * x  # made while the other thread is inside no_grad()
    go_on.set()
    t.join(5)
    assert y.parents == (x, x) and is_grad_enabled()
    assert seen["other"] == ()


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on():
    barrier = threading.Barrier(2)

    def work(first):
        for _ in range(200):
            with no_grad():
                if first:
                    barrier.wait(5)
            if not first:
                barrier.wait(5)

    threads = [threading.Thread(target=work, args=(f,)) for f in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert is_grad_enabled()
    assert Value(1.0) * 2.0 is not None and (Value(1.0) * 2.0).parents


def test_gc_paused_nests_and_restores_the_collector():
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    @gc_paused()
    def recurse(n):
        assert not gc.isenabled()
        return n if n == 0 else recurse(n - 1)

    recurse(4)
    assert gc.isenabled()


def test_gc_paused_stays_paused_while_another_thread_is_still_inside():
    a_in, b_in, a_out, checked = (threading.Event() for _ in range(4))
    seen = {}

    def a():
        with gc_paused():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b():
        a_in.wait(5)
        with gc_paused():
            b_in.set()
            a_out.wait(5)
            seen["inside b after a left"] = gc.isenabled()
        checked.set()

    threads = [threading.Thread(target=f) for f in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"inside b after a left": False}
    assert gc.isenabled()


def _train_grads(seed, X, Y, steps, start=None, batched=False):
    """The weight grads of each step of training a small MLP with plain SGD."""
    model = nn.MLP(X.shape[1], [8, 1], activation="tanh", seed=seed)
    if start is not None:
        start.wait(5)
    grads = []
    for _ in range(steps):
        if batched:
            loss = ((model(X) - Value.batch(Y)) ** 2).mean()
        else:
            outs = [model(x) for x in X.tolist()]
            loss = sum(((o - y) ** 2 for o, y in zip(outs, Y.tolist())), Value(0.0)) * (1.0 / len(Y))
        model.zero_grad()
        loss.backward()
        grads.append([p.grad for p in model.parameters()])
        with no_grad():
            for p in model.parameters():
                p.data -= 0.1 * p.grad
    return grads


@pytest.mark.parametrize("batched", [False, True])
def test_two_threads_training_two_models_get_single_threaded_grads(batched):
    rng = np.random.default_rng(0)
    data = [(rng.normal(size=(60, 3)), rng.normal(size=60)) for _ in range(2)]
    alone = [_train_grads(seed, X, Y, 30, batched=batched) for seed, (X, Y) in enumerate(data)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        start, results = threading.Barrier(2), {}

        def run(seed):
            X, Y = data[seed]
            results[seed] = _train_grads(seed, X, Y, 30, start, batched)

        threads = [threading.Thread(target=run, args=(s,)) for s in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        sys.setswitchinterval(old)
    for seed in (0, 1):
        assert np.array_equal(np.array(results[seed]), np.array(alone[seed])), f"model {seed}"
