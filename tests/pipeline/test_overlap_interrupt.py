"""Background threads of the converter and the overlapped pipeline print nothing when the run ends under them.

A user pressing Ctrl-C during `dossier build` saw `Exception in thread Thread-3 (watch)` with a
traceback ending in BrokenProcessPool or "cannot schedule new futures after shutdown": the
converter's watch thread reported a finished PDF to `_Run.converted`, which submitted its
normalisation to a pool the signal handler had just broken (or the unwinding had shut down).
Here the watch thread reports into such a pool, deterministically: Python's own hook for
exceptions in threads is in place (as outside pytest), and stderr must stay empty.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfWriter

from dossier.cli.report import ending_on_signals
from dossier.convert import local
from dossier.convert.remote import Endpoint, convert_remote
from dossier.errors import Problems, ToolError
from dossier.pipeline import overlap
from dossier.util.children import stopping
from dossier.util.progress import Progress


@pytest.fixture(autouse=True)
def python_thread_hook(monkeypatch):
    """Python's default printer for exceptions in threads (pytest's own turns them into warnings)."""
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    yield
    stopping.clear()


class BrokenPool:
    """A process pool whose workers the signal handler has killed."""

    def submit(self, *args: object) -> Future:
        raise BrokenProcessPool("A child process terminated abruptly, the process pool is not usable anymore")


def shut_down_pool() -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(1)
    pool.shutdown()
    return pool


def _run(tmp_path: Path) -> overlap._Run:
    job = overlap.Job("QP-01", "QP-01", datetime(2026, 1, 1), lambda pages: overlap.Rendering(b"", [], Problems()))
    run = overlap._Run([job], tmp_path, [], Progress(1, "Converting", enabled=False), workers=1)
    run.rendered[0] = overlap.Rendering(b"", [], Problems())
    return run


@pytest.fixture()
def watched_batch(tmp_path: Path, monkeypatch):
    """`convert_local`'s batch writes QP-01.pdf and returns only once the watch thread has reported it."""
    reported = threading.Event()

    def batch(files: list[Path], out_dir: Path, per_doc: float) -> bool:
        for docx in files:
            writer = PdfWriter()
            writer.add_blank_page(100, 100)
            with (out_dir / f"{docx.stem}.pdf").open("wb") as handle:
                writer.write(handle)
        assert reported.wait(5), "the watch thread never reported the PDF"
        return False

    monkeypatch.setattr(local, "_convert_batch", batch)
    (tmp_path / "docx").mkdir()
    docx = tmp_path / "docx" / "QP-01.docx"
    docx.write_bytes(b"docx")
    return docx, reported


@pytest.mark.parametrize("pool", [BrokenPool, shut_down_pool], ids=["broken", "shut-down"])
def test_a_watch_thread_reporting_into_a_dead_pool_prints_nothing(tmp_path, watched_batch, pool, capsys):
    docx, reported = watched_batch
    run = _run(tmp_path)
    dead = pool()

    def on_done(path: Path) -> None:
        try:
            run.converted(dead, path)
        finally:
            reported.set()

    local.convert_local([docx], docx.parent, 30.0, 1, on_done)
    assert capsys.readouterr().err == ""
    with pytest.raises(ToolError, match="worker process died"):  # told by the main thread when it collects the PDF
        overlap._result(run.normalised[0])


def test_once_the_run_is_ending_the_watch_thread_reports_nothing(tmp_path, watched_batch, capsys):
    docx, reported = watched_batch
    run = _run(tmp_path)
    stopping.set()  # what the SIGINT handler does first, before killing the pool's workers
    calls = []
    reporter = local.Reporter({docx: docx.with_suffix(".pdf")}, lambda path: calls.append(run.converted(BrokenPool(), path)))
    (docx.with_suffix(".pdf")).write_bytes(b"%PDF-1.4\n%%EOF\n")
    stop = threading.Event()
    watcher = threading.Thread(target=reporter.watch, args=(stop,))
    watcher.start()
    watcher.join(timeout=5)  # it ends by itself: the run is ending
    assert not watcher.is_alive()
    reporter.sweep()
    run.converted(BrokenPool(), docx)
    assert calls == [] and run.normalised == {} and capsys.readouterr().err == ""


def test_an_error_of_the_callback_reaches_the_converting_thread_not_stderr(tmp_path, watched_batch, capsys):
    docx, reported = watched_batch

    def on_done(path: Path) -> None:
        reported.set()
        raise KeyError("QP-01")

    with pytest.raises(KeyError):
        local.convert_local([docx], docx.parent, 30.0, 1, on_done)
    assert capsys.readouterr().err == ""


class Stub(Endpoint):
    """A converter server that answers at once; the run ends after its first document."""

    def convert(self, docx: Path, timeout: float) -> bytes:
        stopping.set()
        return b"%PDF-1.4\n%%EOF\n"


def test_remote_converters_stop_taking_documents_once_the_run_is_ending(tmp_path, capsys):
    files = []
    for name in ("QP-01", "QP-02", "QP-03"):
        files.append(tmp_path / f"{name}.docx")
        files[-1].write_bytes(b"docx")
    done = []

    def on_done(path: Path) -> None:
        done.append(path)
        raise BrokenProcessPool("gone")

    with pytest.raises(ToolError, match="the run is ending"):
        convert_remote(files, tmp_path, [Stub("stub://", "unoserver")], 30.0, on_done)
    assert done == [] and len(list(tmp_path.glob("*.pdf"))) == 1 and capsys.readouterr().err == ""


def test_a_thread_failing_while_the_run_ends_prints_nothing_in_the_cli(capsys, monkeypatch):
    monkeypatch.delenv("DOSSIER_DEBUG", raising=False)

    def fail() -> None:
        raise RuntimeError("cannot schedule new futures after shutdown")

    with ending_on_signals():
        stopping.set()
        thread = threading.Thread(target=fail)
        thread.start()
        thread.join()
    assert capsys.readouterr().err == ""
    with ending_on_signals():  # not ending: one error line, no traceback
        thread = threading.Thread(target=fail)
        thread.start()
        thread.join()
    assert capsys.readouterr().err == ("error: internal error: RuntimeError: cannot schedule new futures after shutdown "
                                       "(please report it; DOSSIER_DEBUG=1 shows the traceback)\n")


def test_a_worker_forked_with_the_parents_handler_leaves_sigint_to_the_parent(monkeypatch):
    import signal

    from dossier.cli import report

    monkeypatch.setattr(report, "_owner", -1)  # this process is not the one whose run the handler ends
    assert report._end(signal.SIGINT, None) is None
    assert not stopping.is_set()


def test_ctrl_c_while_python_still_imports_the_command_line_prints_one_line() -> None:
    """The console script installs its handler first: a SIGINT during the imports is no traceback."""
    import subprocess
    import sys

    code = ("import os, signal; from dossier.launch import install; install(); "
            "os.kill(os.getpid(), signal.SIGINT); import dossier.cli; print('not stopped')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (130, "")
    assert done.stderr == "error: stopped by SIGINT; build/ and the workspace are as they were\n"


def test_a_build_stopped_by_a_signal_prints_its_one_line_and_not_the_warnings(monkeypatch, tmp_path) -> None:
    import signal

    import dossier.pipeline.build as pipeline_build
    from dossier.cli.report import Interrupted
    from tests.conftest import run_cli

    def stopped(root, fmt, only, force, sign, converters, progress, warnings, timeout):
        warnings.add("content/VR-12-07.yaml", 15, "report.protocol", "a warning gathered before the signal")
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(pipeline_build, "build", stopped)  # the command imports it when it runs
    result = run_cli("build", str(tmp_path))
    assert result.exit_code == 130
    assert result.output == "error: stopped by SIGINT; build/ and the workspace are as they were\n"
