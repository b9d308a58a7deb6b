"""How a run reports its end: every error line starts with `error: `, and nothing else reaches the user.

The libraries dossier drives talk on their own: pypdf logs "EOF marker not found" for a damaged
file, pyHanko logs "Failed to build path…" with a traceback for an untrusted certificate, Pillow
warns about large images. What they found is already in dossier's own messages, so while a
command runs their logging and warnings are silenced (`DOSSIER_DEBUG=1` lets them and Python
tracebacks through). An exception dossier did not expect becomes one `error:` line, never a
traceback (a 1 MB value in it would print megabytes, a secret in it would be shown).

SIGTERM, SIGINT and SIGHUP end a run at once and completely: LibreOffice processes and forked
workers are killed first, then `Interrupted` unwinds the command, so temporary folders are
removed and a release undoes what it had begun; nothing half-written reaches build/ (see
`dossier.util.staging`). The exit status is 128 + the signal's number. Background threads
print nothing once the run is ending (a thread that fails otherwise prints one `error:` line).

When standard output cannot be written, the run ends as other Unix tools do: quietly with status
141 (128 + SIGPIPE) when its reader went away (`dossier status | head -1`), with one `error:` line
and status 3 otherwise (`dossier --help > /dev/full`) - never with a traceback. When standard
error cannot be written (`2>/dev/full`, `2>&-`), what it would have said is dropped and the run
goes on: its exit status still tells how it ended, as with the other Unix tools.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import select
import signal
import sys
import threading
import warnings
from collections.abc import Iterator

import click

from dossier.errors import EXIT_TOOL, error_line
from dossier.util.children import stopping, terminate_all

ENDING_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Interrupted(BaseException):
    """The run was ended by a signal (not an Exception: nothing may catch it on the way out)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process ended by it."""
        return 128 + self.signum

    def line(self) -> str:
        """The one line printed."""
        return f"error: stopped by {signal.Signals(self.signum).name}; build/ and the workspace are as they were"


_owner = 0  # the process whose run `_end` ends (a forked worker inherits the handler until follow_parent)


def _end(signum: int, frame: object) -> None:
    if os.getpid() != _owner:  # a worker forked a moment ago: SIGINT is the parent's business, others end it
        if signum != signal.SIGINT:
            os._exit(128 + signum)
        return
    terminate_all()  # LibreOffice process groups
    for child in multiprocessing.active_children():  # forked workers
        child.kill()
    raise Interrupted(signum)


@contextlib.contextmanager
def ending_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM/SIGINT/SIGHUP end the run as the module docstring says (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _owner
    stopping.clear()  # a run of its own (in-process callers such as the tests run several)
    _owner = os.getpid()
    previous = {signum: signal.signal(signum, _end) for signum in ENDING_SIGNALS}
    previous_hook, threading.excepthook = threading.excepthook, _thread_failed
    try:
        yield
    finally:
        threading.excepthook = previous_hook
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _thread_failed(args: threading.ExceptHookArgs) -> None:
    """A background thread ended with an exception: nothing once the run is ending, else one `error:` line.

    The converter and pipeline threads hand their errors to the main thread; this is the net
    under them. DOSSIER_DEBUG=1 shows Python's usual traceback.
    """
    if debugging():
        threading.__excepthook__(args)
    elif not stopping.is_set() and args.exc_type is not SystemExit:
        for line in unexpected(args.exc_value or args.exc_type())[0]:
            sys.stderr.write(line + "\n")

READER_GONE_STATUS = 128 + signal.SIGPIPE  # what a shell reports for `yes | head -1`


def reader_gone() -> bool:
    """True when standard output is a pipe nobody reads any more (the write end polls as an error)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, ValueError, OSError):  # no real standard output (captured, closed)
        return False


def _echoed_to(exc: BaseException) -> object | None:
    """The stream `click.echo` was writing to when `exc` was raised in it (every command prints with it), else None."""
    stream, tb = None, exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "echo" and frame.f_globals.get("__name__") == "click.utils":
            stream = frame.f_locals.get("file")
        tb = tb.tb_next
    return stream


def output_failure(exc: OSError, writing: bool = False) -> tuple[list[str], int] | None:
    """The lines and exit status when `exc` is a failed write to standard output, else None.

    `writing`: the caller knows it was printing (--help, --version, the final flush); otherwise the
    write must have been `click.echo` to standard output (a file the command writes is not).
    The reader went away (EPIPE on a pipe nobody reads): no line, READER_GONE_STATUS. Another
    failure (`> /dev/full`, a socket closed): `error: standard output: …`, EXIT_TOOL. Either way
    standard output is pointed at /dev/null, so Python's final flush at exit raises nothing more.
    """
    if isinstance(exc, BrokenPipeError) and reader_gone():
        _silence_stdout()
        return [], READER_GONE_STATUS
    stream = _echoed_to(exc)
    if not writing and not (stream is not None and (stream is sys.stdout or getattr(stream, "name", None) == "<stdout>")):
        return None
    _silence_stdout()
    return [f"error: standard output: {exc.strerror or exc} "
            "(the printout is incomplete; files are written whole or not at all)"], EXIT_TOOL


def _silence_stdout() -> None:
    _silence(sys.stdout)


def _silence(stream: object) -> None:
    """Point the descriptor under `stream` at /dev/null (what is buffered for it is then dropped quietly)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
        os.close(devnull)
    except (AttributeError, ValueError, OSError):
        pass


class _LossyStream:
    """Standard error that drops what cannot be written instead of raising (every other attribute is the stream's)."""

    def __init__(self, stream: object):
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text`; on OSError (disk full, closed pipe) drop it and send later text to /dev/null."""
        try:
            return self._stream.write(text)  # type: ignore[attr-defined]
        except OSError:
            _silence(self._stream)
            return len(text)

    def flush(self) -> None:
        """Flush, dropping what cannot be written."""
        try:
            self._stream.flush()  # type: ignore[attr-defined]
        except OSError:
            _silence(self._stream)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def lossy_stderr() -> Iterator[None]:
    """Within the block, a failed write to standard error loses the text, not the run (see the module docstring)."""
    if sys.stderr is None:  # started with standard error closed: click prints nothing then
        yield
        return
    previous = sys.stderr
    sys.stderr = _LossyStream(previous)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stderr = previous


LIBRARY_LOGGERS = ("pypdf", "pyhanko", "pyhanko_certvalidator", "PIL", "fontTools", "docx", "docxtpl", "docxcompose",
                   "urllib3", "asyncio", "markdown_it")
MAX_DETAIL = 200  # characters of an unexpected exception's message shown


def debugging() -> bool:
    """True when DOSSIER_DEBUG asks for the libraries' logs and Python tracebacks."""
    return os.environ.get("DOSSIER_DEBUG", "") not in ("", "0")


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Silence the libraries' logging and Python warnings for the block (unless debugging)."""
    if debugging():
        yield
        return
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    saved = [logger.propagate for logger in loggers]
    sink = logging.NullHandler()  # a handler on the way up: Python's last-resort printer stays silent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.addHandler(sink)
            logger.propagate = False
        try:
            yield
        finally:
            for logger, propagate in zip(loggers, saved):
                logger.removeHandler(sink)
                logger.propagate = propagate


def usage_lines(exc: click.ClickException) -> list[str]:
    """A bad option or argument as `error:` lines, with where to read the command's usage."""
    lines = [error_line(line) for line in exc.format_message().splitlines() if line.strip()]
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines[-1] += f" (see {ctx.command_path} --help)"
    return lines


def unexpected(exc: BaseException) -> tuple[list[str], int]:
    """The line and exit status for an exception no dossier code anticipated."""
    detail = " ".join(str(exc).split())
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + "…"
    return [f"error: internal error: {type(exc).__name__}{': ' + detail if detail else ''} "
            "(please report it; DOSSIER_DEBUG=1 shows the traceback)"], EXIT_TOOL
