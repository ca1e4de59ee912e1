"""Start several real processes, release them at one moment, and collect what each reports."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any


def race(target: Callable[..., None], each: Sequence[tuple[Any, ...]], timeout_s: float = 180) -> list[Any]:
    """Run ``target(*args, start, out)`` in one spawned process per ``args`` in ``each``; every
    process waits for ``start`` (set once all have started) and puts one result on ``out``.
    Returns the results in the order they arrived."""
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=target, args=(*args, start, out)) for args in each]
    for worker in workers:
        worker.start()
    start.set()
    results = [out.get(timeout=timeout_s) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return results
