"""The progress bar: only on a terminal outside CI and --json, only for runs longer than the delay."""

from __future__ import annotations

import io
import threading
import time

import pytest

from dossier.util.progress import Progress, progress_wanted


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture()
def no_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_a_bar_is_wanted_only_on_a_terminal_outside_ci_and_json(no_ci, monkeypatch):
    assert progress_wanted(stream=Terminal())
    assert not progress_wanted(stream=io.StringIO())
    assert not progress_wanted(as_json=True, stream=Terminal())
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted(stream=Terminal())


def test_a_quick_run_draws_nothing(no_ci):
    stream = Terminal()
    with Progress(3, "Converting", enabled=True, delay=5, stream=stream) as bar:
        for _ in range(3):
            bar.advance()
    assert stream.getvalue() == ""


def test_a_disabled_bar_draws_nothing_even_when_slow():
    stream = Terminal()
    with Progress(2, "Converting", enabled=False, delay=0, stream=stream) as bar:
        time.sleep(0.1)
        bar.advance()
    assert stream.getvalue() == "" and bar.done == 1


def test_a_slow_run_shows_count_and_a_grown_total(no_ci):
    stream = Terminal()
    with Progress(4, "Converting", enabled=True, delay=0.05, stream=stream) as bar:
        bar.advance("QP-01.docx")
        time.sleep(0.2)
        bar.advance("QP-02.docx")
        bar.grow(2)
        bar.advance()
    frames = [frame for frame in stream.getvalue().split("\r") if frame]
    assert "Converting" in frames[0] and "1/4" in frames[0]
    assert "2/4" in stream.getvalue()
    assert "3/6" in frames[-1] and stream.getvalue().endswith("\n")


def test_advances_from_many_threads_are_all_counted():
    with Progress(800, "Converting", enabled=False) as bar:
        workers = [threading.Thread(target=lambda: [bar.advance() for _ in range(100)]) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert bar.done == 800
