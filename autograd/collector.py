"""Python's cyclic garbage collector and scalargrad's graphs: what the library does to it.

A graph of Values has no reference cycles: reference counting frees it the moment it is
dropped. The cyclic collector does not know that. Left alone it rescans every live node
of the graph being built, every 700 new objects, and promotes the graph to its older
generations, whose collections scan it again: in a loop written the lecture's way that is
half of the run time, and the scans never find anything to free. So, while scalargrad
trains (``manage_collector``, on by default):

- ``backward()`` runs with the collector off (``pause``/``resume``, before it allocates
  anything) and, when it ends, *parks* what is young, the live graph among it, in the
  collector's oldest generation (``gc.freeze(); gc.unfreeze()``, which moves objects
  without scanning them): the next allocation does not rescan the graph just walked.
  Other code's objects parked with it are collected by the next full collection, which
  comes while training goes on: every ``MIN_THRESHOLD`` new objects a pass looks at how
  many objects are tracked, and once that has grown by a quarter (Python's own rule for
  full collections) and by at least ``MIN_GROWTH`` since the last full collection, it
  runs one. Graphs are freed by reference counting, so what grows is other code's
  garbage (or what the caller keeps).
- the collector's first threshold follows the size of the graphs: after each
  ``backward()`` it is ``OBJECTS_PER_NODE`` times the nodes the pass walked (at least
  ``MIN_THRESHOLD`` and the threshold found, at most ``MAX_THRESHOLD``), so the next
  forward pass builds a graph of that size without a collection in the middle; the
  dropped graph gives its count back as reference counting frees it.
- the first forward pass comes before any ``backward()``: importing scalargrad raises the
  threshold to ``MIN_THRESHOLD``, kept until the first ``backward()``.
- a collection puts the threshold back as it was. While scalargrad
  trains none comes: each ``backward()`` parks the graph and sets the count of new objects
  to zero. So the first one is due to code that ran after training, or to a graph bigger
  than the last, and from there on the collector runs on the caller's schedule again, the
  next ``backward()`` raising the threshold anew.

Nothing is done while ``gc.freeze()`` is in use (its frozen objects are the caller's) or
after the caller changed the threshold (``gc.set_threshold``): the caller's choice wins.
``manage_collector(False)`` (or ``SCALARGRAD_GC=0`` in the environment) switches all of
it off; ``gc_paused()`` still works.
"""
from __future__ import annotations

import functools
import gc
import os
import threading

OBJECTS_PER_NODE = 16  # room per node walked: a node, its tuples, the loop's own objects, twice
MIN_THRESHOLD = 100_000  # Python's own is 700
MAX_THRESHOLD = 10_000_000
MIN_GROWTH = 10_000  # tracked objects more than after the last full collection, before the next


class _State:
    """What is shared by every thread (changed under ``lock``)."""

    lock = threading.Lock()
    depth = 0  # open pauses (gc_paused blocks and backward passes), in all threads
    was_on = False  # the collector was on when the first of them opened
    managed = os.environ.get("SCALARGRAD_GC", "1") != "0"
    caller = None  # the caller's thresholds, as the first backward() found them
    raised_to = None  # the thresholds scalargrad set, while they are set
    until_backward = False  # raised at import: kept until the first backward()
    made = 0  # new objects the passes found since the tracked set was last counted
    tracked = None  # how many objects were tracked after the last full collection


def pause() -> None:
    """Switch the collector off (nested, thread-safe); ``resume()`` switches it back.

    Allocates no object the collector tracks (``lock.acquire()``, not ``with lock``, whose
    bound ``__exit__`` is one): an allocation could start the collection it is to prevent."""
    _State.lock.acquire()
    try:
        if _State.depth == 0:
            _State.was_on = gc.isenabled()
            gc.disable()
        _State.depth += 1
    finally:
        _State.lock.release()


def resume(walked: int | None = None) -> None:
    """Close one ``pause()``. After a backward pass that walked ``walked`` nodes, and with
    scalargrad managing the collector, the young objects (the live graph) move to the
    oldest generation unscanned and the threshold is sized to the graph (see above)."""
    with _State.lock:
        _State.depth -= 1
        if walked is not None and _State.managed and _State.depth == 0 and _State.was_on:
            _park(walked)
        if _State.depth == 0 and _State.was_on:
            gc.enable()


def _park(walked: int) -> None:
    """After a backward pass: the graph out of the young generations, the threshold sized
    to it. Called with the lock held and the collector off (so nothing here collects)."""
    if gc.get_freeze_count():  # the caller uses gc.freeze(): its frozen set is not ours to move
        return
    found = gc.get_threshold()
    if _State.caller is None:
        _State.caller = found
    elif found != _State.caller and found != _State.raised_to:
        _State.managed = False  # the caller set a threshold of its own: the collector is theirs
        _restore()
        return
    _State.until_backward = False
    _State.made += sum(gc.get_count()[:2])
    gc.freeze()  # every tracked object to the permanent generation, the counts to zero,
    grown = _State.made > MIN_THRESHOLD and _grown(gc.get_freeze_count())  # (counting is O(n): rarely)
    gc.unfreeze()  # and all of them to the oldest generation: moved, not scanned
    if grown:  # other code's cycles parked with the graphs are freed here
        gc.collect()
        gc.freeze()
        _State.tracked = gc.get_freeze_count()
        gc.unfreeze()
    first, *rest = _State.caller
    wanted = (min(max(first, MIN_THRESHOLD, OBJECTS_PER_NODE * walked), MAX_THRESHOLD), *rest)
    if wanted != found:
        if _on_collection not in gc.callbacks:
            gc.callbacks.append(_on_collection)
        _State.raised_to = wanted
        gc.set_threshold(*wanted)


def _grown(tracked: int) -> bool:
    """Whether the tracked objects grew enough since the last full collection for the next."""
    _State.made = 0
    if _State.tracked is None:
        _State.tracked = tracked
    return tracked - _State.tracked > max(MIN_GROWTH, _State.tracked // 4)


def _on_collection(phase, info) -> None:
    """gc callback, at the start of a collection: the caller's threshold comes back."""
    if phase != "start" or _State.until_backward or not _State.lock.acquire(blocking=False):
        return  # before the first backward(), or a thread is inside pause/resume
    try:
        _restore(unhook=False)  # gc is going through its callbacks: removing one would skip the next
    finally:
        _State.lock.release()


def _restore(unhook: bool = True) -> None:
    """The caller's thresholds back (unless changed since); with ``unhook``, the callback
    removed (else it stays, doing nothing until the next raise)."""
    if _State.raised_to is not None and gc.get_threshold() == _State.raised_to:
        gc.set_threshold(*_State.caller)
    _State.raised_to = None
    if unhook and _on_collection in gc.callbacks:
        gc.callbacks.remove(_on_collection)



def _raise_at_import() -> None:
    """The first forward pass comes before any backward(): the threshold is raised to
    ``MIN_THRESHOLD`` when scalargrad is imported, and stays so until the first backward()."""
    found = gc.get_threshold()
    if not _State.managed or not gc.isenabled() or found[0] == 0 or found[0] >= MIN_THRESHOLD:
        return
    _State.caller = found
    _State.raised_to = (MIN_THRESHOLD, *found[1:])
    _State.until_backward = True
    gc.callbacks.append(_on_collection)
    gc.set_threshold(*_State.raised_to)


def manage_collector(enabled: bool = True) -> None:
    """Let scalargrad manage the cyclic collector while it trains (the default; see the
    module's docstring), or not (``False``: the caller's thresholds come back at once)."""
    with _State.lock:
        _restore()
        _State.managed = bool(enabled)
        _State.caller = None
        _State.until_backward = False


def is_collector_managed() -> bool:
    """Whether scalargrad manages the collector now (see ``manage_collector``)."""
    return _State.managed


class gc_paused:
    """Switch Python's cyclic garbage collector off inside the block, back on after.

    Graphs of Values hold no reference cycles (reference counting frees them), but the
    cyclic collector still rescans every live node again and again while a big graph is
    built. ``backward()`` already manages this (see above); the block is for code that
    builds big graphs with no backward(), or a process that opted out.

    Safe to nest and to use from several threads at once: the collector goes off when the
    first block opens and back on (if it was on) when the last one closes. The exit
    allocates nothing, so a graph dropped right after the block (a training step that
    returns) is freed by reference counting before the collector can scan it.
    Also a decorator: ``@gc_paused()``.
    """

    def __enter__(self) -> None:
        pause()

    def __exit__(self, *exc) -> bool:
        resume()
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def paused(*args, **kwargs):
            with gc_paused():
                return fn(*args, **kwargs)
        return paused


_raise_at_import()
