"""What scalargrad does to Python's cyclic collector (autograd/collector.py): backward() never
scans the live graph, the threshold is raised only while scalargrad trains and comes back
after, a dropped graph is still freed at once, other code's cycles are still collected, and
memory does not grow over many training steps. No timings: counts, weakrefs, tracemalloc.

The process-wide checks run in a fresh interpreter, so that neither pytest's objects nor
another test's training decide when the collector runs."""
import gc
import os
import subprocess
import sys
import textwrap
import threading
import tracemalloc
import weakref

import pytest

import nn
from autograd import Value, gc_paused, is_collector_managed, manage_collector

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_fresh(code: str, **env) -> str:
    """Run ``code`` in a new interpreter with this checkout first on the path; its stdout."""
    full_env = {**os.environ, "PYTHONPATH": ROOT, **env}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=full_env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def default_threshold():
    """The collector as Python ships it (700 new objects), put back as found after the test."""
    manage_collector(False)  # the thresholds as they were before scalargrad raised them
    found = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    manage_collector(True)
    try:
        yield
    finally:
        manage_collector(False)
        gc.set_threshold(*found)
        manage_collector(True)


def chain(n):
    x = Value(0.5, label="x")
    y = x
    for _ in range(n):
        y = y * 1.0001 + 0.0
    return x, y


def test_backward_after_a_forward_built_in_gc_paused_runs_no_collection(default_threshold):
    """Wrapping only the forward leaves the whole graph young; backward() must not let its
    first allocation collect all of it (it did: one gen-0 scan of ~120k objects)."""
    collections = []

    def seen(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        with gc_paused():
            x, y = chain(20_000)
        due = gc.get_count()[0] > 700  # a collection is due at the next allocation
        before = len(collections)  # (allocates nothing)
        y.backward()
        during = len(collections) - before
    finally:
        gc.callbacks.remove(seen)
    assert due and during == 0
    assert x.grad == pytest.approx(1.0001 ** 20_000)


def test_the_live_graph_leaves_the_young_generations_after_backward(default_threshold):
    """After backward() the graph (still alive) is parked in the oldest generation: the
    collections that follow (every 700 new objects here) do not rescan it."""
    x, y = chain(20_000)
    y.backward()
    young = {id(o) for o in gc.get_objects(0)} | {id(o) for o in gc.get_objects(1)}
    assert id(y) not in young and id(y.parents[0]) not in young
    assert gc.get_count()[0] < 700
    del x, y


def test_a_dropped_graph_is_freed_at_once_with_the_collector_managed():
    x, y = chain(1000)
    y.backward()
    refs = [weakref.ref(y), weakref.ref(y.parents[0]), weakref.ref(y.parents[0].parents[0])]
    gc.disable()  # nothing but reference counting from here
    try:
        del y
        assert all(r() is None for r in refs)
    finally:
        gc.enable()
    assert x.grad > 0


def test_no_memory_growth_over_many_training_steps():
    """nn per sample, unwrapped, as a student writes it: what is held after step 30 is what
    is held after step 300, and the collector tracks no more objects either."""
    model = nn.MLP(2, [8, 8, 1], seed=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.01)
    rows = [[0.1 * i, -0.05 * i] for i in range(10)]
    targets = [1.0 if i % 2 else -1.0 for i in range(10)]

    def step():
        scores = [model(row) for row in rows]
        loss = nn.hinge_loss(scores, targets)
        opt.zero_grad()
        loss.backward()
        opt.step()

    tracemalloc.start()
    try:
        for _ in range(30):
            step()
        gc.collect()  # what is held, not garbage waiting for its collection (the next test)
        held, objects = tracemalloc.get_traced_memory()[0], len(gc.get_objects())
        for _ in range(270):
            step()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - held
        more_objects = len(gc.get_objects()) - objects
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, f"{grown} bytes more after 270 more steps"
    assert more_objects < 200, f"{more_objects} more objects tracked by the collector"


DURING_TRAINING = """
import gc, weakref
from autograd import Value

class Cycle:  # other code's garbage, made at every step of a long training run
    def __init__(self):
        self.me = self
        self.load = [[] for _ in range(10)]

def train_step():  # a student's step in a function: the graph is freed when it returns
    y = x = Value(0.5)
    for _ in range(50):
        y = y * 1.0001 + 0.0
    y.backward()
    return weakref.ref(Cycle())

first = train_step()
steps = 1
while first() is not None and steps < 20_000:  # no gc.collect(): the collector's own schedule
    train_step()
    steps += 1
print("collected while training", first() is None, steps < 20_000)
"""


def test_other_codes_cycles_are_collected_while_training_goes_on():
    """Each backward() parks what is young in the oldest generation; the full collections
    that free other code's cycles must still come while training runs (bounded garbage)."""
    assert run_fresh(DURING_TRAINING).split() == ["collected", "while", "training", "True", "True"]


POLICY = """
import gc, weakref
from autograd import Value
print("raised at import", gc.get_threshold() == (100_000, 10, 10))

class Cycle:  # other code's garbage: a cycle only the collector can free
    def __init__(self):
        self.me = self

def train_step():
    y = x = Value(0.5)
    for _ in range(20_000):
        y = y * 1.0001 + 0.0
    y.backward()

train_step()
raised = gc.get_threshold()
print("raised", raised[0] > 700, raised[1:] == (10, 10))
made_during_training = weakref.ref(Cycle())
for _ in range(5):
    train_step()
print("still raised", gc.get_threshold() == raised)

# scalargrad is done: other code runs; its first collection gives the threshold back
junk = [[] for _ in range(raised[0] + 1000)]
print("restored", gc.get_threshold() == (700, 10, 10))
seen = []  # the callback after scalargrad's still sees every phase
gc.callbacks.append(lambda phase, info: seen.append(phase))
train_step()
junk = [[] for _ in range(gc.get_threshold()[0] + 1000)]
print("others' callbacks balanced", len(seen) > 0 and seen.count("start") == seen.count("stop"))
del junk
for _ in range(200):  # no gc.collect(): the collector's own schedule
    if made_during_training() is None:
        break
    keep = [[] for _ in range(10_000)]
print("cycle collected", made_during_training() is None)
"""


def test_threshold_raised_while_training_restored_after_and_other_cycles_collected():
    out = run_fresh(POLICY)
    assert out.split("\n")[:-1] == ["raised at import True", "raised True True", "still raised True", "restored True",
                                    "others' callbacks balanced True", "cycle collected True"]


def test_opt_out_leaves_the_collector_alone():
    code = """
    import gc
    from autograd import Value, manage_collector
    {switch}
    y = x = Value(0.5)
    for _ in range(20_000):
        y = y * 1.0001 + 0.0
    y.backward()
    print(gc.get_threshold())
    """
    assert run_fresh(code.format(switch=""), SCALARGRAD_GC="0").strip() == "(700, 10, 10)"
    assert run_fresh(code.format(switch="manage_collector(False)")).strip() == "(700, 10, 10)"


def test_a_threshold_set_by_the_caller_is_kept(default_threshold):
    x, y = chain(10_000)
    y.backward()
    gc.set_threshold(5000, 10, 10)  # the caller's own choice, while scalargrad manages it
    x, y = chain(10_000)
    y.backward()
    assert gc.get_threshold() == (5000, 10, 10)
    assert not is_collector_managed()


def test_manage_collector_false_puts_the_threshold_back(default_threshold):
    x, y = chain(10_000)
    y.backward()
    assert gc.get_threshold()[0] > 700
    manage_collector(False)
    assert gc.get_threshold() == (700, 10, 10)
    y.backward()
    assert gc.get_threshold() == (700, 10, 10)


def test_backward_in_many_threads_leaves_the_collector_on():
    errors = []

    def train():
        try:
            for _ in range(20):
                x, y = chain(2000)
                y.backward()
                assert x.grad == pytest.approx(1.0001 ** 2000)
        except BaseException as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=train) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert gc.isenabled()
