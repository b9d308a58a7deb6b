"""Run one function over many items on every core: forked worker processes, results in order.

Rendering and PDF normalisation are CPU-bound Python; LibreOffice already runs one process per
core, so these steps would otherwise leave all but one core idle. Workers are forked, so the
function may be a closure over loaded state (the workspace) and nothing but each item's index
and result crosses the process boundary. Small jobs, one core, or a platform without fork run
in this process. Workers end with their parent (`dossier.util.children.follow_parent`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from dossier.errors import ToolError
from dossier.util.children import follow_parent

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 4  # below this, starting workers costs more than it saves

_job: tuple[Callable, Sequence] | None = None  # what forked workers run; set only while a pool is open


def _run(index: int) -> object:
    function, items = _job
    return function(items[index])


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int | None = None) -> list[Result]:
    """[function(item) for item in items], spread over `workers` processes (default: one per core).

    Results must be picklable. An exception in a worker is raised here; a worker that dies
    (killed, out of memory) is a ToolError.
    """
    global _job
    count = min(workers or os.cpu_count() or 1, len(items))
    if count < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _job = (function, items)
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                 initializer=follow_parent, initargs=(os.getpid(),)) as pool:
            return list(pool.map(_run, range(len(items)), chunksize=max(1, len(items) // (count * 4))))
    except BrokenProcessPool as exc:  # a worker was killed (out of memory?): fail, never wait forever
        raise ToolError(f"error: a worker process died while working on {len(items)} items ({exc})") from exc
    finally:
        _job = None
