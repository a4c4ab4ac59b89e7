"""Threads that each train their own model must get exactly the single-threaded results.

Not collected by pytest (a stress run, minutes long): run it outside CI,

    PYTHONPATH=. .venv/bin/python tests/stress_threads.py --threads 4 --rounds 20

Each round trains ``--threads`` models (different seeds, batched and per-sample fit, fused
and fine-grained neurons) at the same time, one per thread, and compares every weight with
the same model trained alone. Prints the cases run and how many differed or raised; exit 1
if any did.
"""
from __future__ import annotations

import argparse
import sys
import threading
import traceback


def train(seed: int, batched: bool, fused: bool) -> dict:
    import nn

    X, y = nn.data.make_moons(64, noise=0.15, seed=seed)
    model = nn.MLP(2, [8, 8, 1], seed=seed, fused=fused)
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    nn.fit(model, "bce_with_logits", opt, (X, y), epochs=4, batch_size=16, progress=False,
           batched=None if batched else False, seed=seed)
    return model.state_dict()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--switch", type=float, default=1e-5,
                    help="sys.setswitchinterval for the threaded runs (small: more interleaving)")
    args = ap.parse_args(argv)
    configs = [(seed, batched, fused) for seed in range(args.threads)
               for batched in (True, False) for fused in (True, False)]
    alone = {c: train(*c) for c in configs}
    sys.setswitchinterval(args.switch)
    cases = differed = raised = 0
    worst = 0.0
    for _ in range(args.rounds):
        for batched in (True, False):
            for fused in (True, False):
                results, errors = {}, {}

                def run(seed, batched=batched, fused=fused, results=results, errors=errors):
                    try:
                        results[seed] = train(seed, batched, fused)
                    except Exception:  # noqa: BLE001 -- counted and shown: what a thread raised is the finding
                        errors[seed] = traceback.format_exc(limit=3)

                threads = [threading.Thread(target=run, args=(s,)) for s in range(args.threads)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                for seed in range(args.threads):
                    cases += 1
                    if seed in errors:
                        raised += 1
                        if raised <= 2:
                            print(errors[seed], file=sys.stderr)
                        continue
                    want, got = alone[(seed, batched, fused)], results[seed]
                    diff = max(abs(want[k] - got[k]) for k in want)
                    worst = max(worst, diff)
                    differed += diff != 0.0
    print(f"threads={args.threads} rounds={args.rounds}: {cases} thread-trained models, "
          f"{differed} differ from single-threaded training (largest weight difference {worst:.3g}), "
          f"{raised} raised")
    return 1 if differed or raised else 0


if __name__ == "__main__":
    sys.exit(main())
