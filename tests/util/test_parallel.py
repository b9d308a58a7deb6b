"""parallel_map: results in order, work really spread over processes, errors raised in the caller."""

from __future__ import annotations

import os
import time

import pytest

from dossier.util.parallel import MIN_ITEMS, parallel_map


def test_results_keep_the_order_of_the_items():
    offset = 7  # a closure over local state works: workers are forked
    assert parallel_map(lambda n: n * n + offset, list(range(50)), workers=2) == [n * n + offset for n in range(50)]


def test_work_runs_in_worker_processes():
    def slow_pid(_: int) -> int:
        time.sleep(0.02)  # long enough that both workers take chunks
        return os.getpid()

    pids = set(parallel_map(slow_pid, list(range(40)), workers=2))
    assert os.getpid() not in pids
    assert len(pids) == 2


def test_small_jobs_stay_in_this_process():
    assert parallel_map(lambda _: os.getpid(), list(range(MIN_ITEMS - 1)), workers=2) == [os.getpid()] * (MIN_ITEMS - 1)


def test_an_error_in_a_worker_is_raised_here():
    def fail_on_three(n: int) -> int:
        if n == 3:
            raise ValueError("item 3 is bad")
        return n

    with pytest.raises(ValueError, match="item 3 is bad"):
        parallel_map(fail_on_three, list(range(10)), workers=2)


def test_a_worker_that_dies_is_an_error_not_a_hang():
    from dossier.errors import ToolError

    def die_on_five(n: int) -> int:
        if n == 5:
            os._exit(1)  # as the out-of-memory killer would end it
        return n

    with pytest.raises(ToolError, match="worker process died"):
        parallel_map(die_on_five, list(range(20)), workers=2)


def test_input_errors_from_a_worker_keep_their_problems():
    from dossier.errors import InputErrors, InputProblem

    def reject_three(n: int) -> int:
        if n == 3:
            raise InputErrors([InputProblem("content/QP-03.md", 7, "body", "cites unknown document QP-99")])
        return n

    with pytest.raises(InputErrors) as raised:
        parallel_map(reject_three, list(range(10)), workers=2)
    assert raised.value.lines() == ["error: content/QP-03.md:7: body: cites unknown document QP-99"]
