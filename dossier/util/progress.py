"""A progress bar on stderr for long runs: only on a terminal, never in CI or with --json.

Usage (from any thread):

    with Progress(len(docs), "Converting", enabled=progress_wanted(as_json)) as bar:
        convert_batch(files, out, on_done=bar.advance)

Nothing is drawn unless the work is still running after `delay` seconds (1 s), so quick runs
print nothing extra. The bar is click's; this class adds thread safety, the delay, a total
that can grow (a second conversion pass) and a redraw every half second so the clock moves.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType
from typing import Any, TextIO

import click

DELAY_SECONDS = 1.0
REDRAW_SECONDS = 0.5


def progress_wanted(as_json: bool = False, stream: TextIO | None = None) -> bool:
    """True when a progress bar belongs on `stream` (stderr): a terminal, not CI, not --json."""
    stream = stream or sys.stderr
    if as_json or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Counts finished items and shows them as a bar once the run takes longer than `delay`."""

    def __init__(
        self, total: int, label: str, *, enabled: bool, delay: float = DELAY_SECONDS, stream: TextIO | None = None
    ):
        self.total = total
        self.done = 0
        self.label = label
        self.enabled = enabled
        self.delay = delay
        self.stream = stream or sys.stderr
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.bar: Any = None
        self.thread: threading.Thread | None = None

    def __enter__(self) -> "Progress":
        if self.enabled:
            self.thread = threading.Thread(target=self._draw_loop, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def grow(self, count: int) -> None:
        """Add `count` items to the total (e.g. a second pass over some documents)."""
        with self.lock:
            self.total += count
            if self.bar is not None:
                self.bar.length = self.total
                self.bar.render_progress()

    def advance(self, *_item: object) -> None:
        """One more item is done (accepts and ignores the item, so it can be an `on_done` callback)."""
        with self.lock:
            self.done = min(self.done + 1, self.total)
            if self.bar is not None:
                self.bar.update(1)

    def close(self) -> None:
        """Stop redrawing; a bar that was shown is completed with its final count and a newline."""
        self.closed.set()
        if self.thread is not None:
            self.thread.join()
        with self.lock:
            if self.bar is not None:
                self.bar.render_finish()
                self.bar = None

    def _draw_loop(self) -> None:
        if self.closed.wait(self.delay):
            return
        with self.lock:
            self.bar = click.progressbar(
                length=self.total, label=self.label, file=self.stream, show_pos=True, show_eta=True, width=30
            )
            self.bar.update(self.done)
        while not self.closed.wait(REDRAW_SECONDS):
            with self.lock:
                if self.bar is not None:
                    self.bar.render_progress()
