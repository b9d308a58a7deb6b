"""The local converter pool: one headless LibreOffice process per core, each on its own profile.

Documents are split into one batch per worker (similar total size). The timeout is per
document: a process must write its first PDF within STARTUP_SECONDS plus the time per document,
and each next one within the time per document (`--timeout`, `converter.timeout`, default 30 s),
or it is taken as hung and killed, so a hang costs the same for one document as for a hundred.
Documents without a valid PDF afterwards are retried once, each on its own and on a fresh
temporary profile (in case the cached one is broken); a document that still fails is reported by
name. When a batch hung and then the first single retry hangs as well, LibreOffice is declared
dead at once: the other documents are not retried one by one. Completion of each document is
reported as its PDF appears. Every process is tracked (`dossier.util.children`) so that the
run's end (SIGTERM, Ctrl-C) ends it too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dossier.convert.outputs import is_pdf, looks_finished
from dossier.convert.profiles import discard, lo_profile
from dossier.errors import ToolError
from dossier.fonts import write_fontconfig
from dossier.util.children import forget, stopping, track
from dossier.util.scratch import scratch_dir

STARTUP_SECONDS = 20.0  # a cold start on a busy 2-core machine takes 2–5 s
POLL_SECONDS = 0.2
SHOWN_NAMES = 10  # documents named in a message before "and N more"

OnDone = Callable[[Path], None]

# glibc malloc settings for soffice: keep freed memory instead of returning it to the kernel and
# faulting it in again for the next document (measured: a third less system time, ~10% less CPU
# per document); a converter process lives for at most MAX_PER_PROCESS documents anyway
MALLOC_TUNING = {"MALLOC_TRIM_THRESHOLD_": "2000000000", "MALLOC_TOP_PAD_": "268435456"}


def soffice_binary() -> str:
    """Path of the LibreOffice executable, or a ToolError saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(
        "LibreOffice not found: install it (apt-get install libreoffice-writer-nogui fonts-noto-cjk)"
    )


def run_soffice(files: list[Path], out_dir: Path, per_doc: float, profile: Path) -> bool:
    """Convert `files` into `out_dir` with one soffice process on `profile`; False when it hung (was killed).

    Hung: no first PDF within STARTUP_SECONDS + `per_doc` seconds, or no next one within `per_doc`.
    """
    if stopping.is_set():
        raise ToolError("error: the run is ending: LibreOffice not started")
    # the faces a .docx names (宋体, 黑体, Times New Roman) drawn with installed ones (see dossier.fonts)
    env = {**os.environ, **MALLOC_TUNING, "HOME": str(profile), "FONTCONFIG_FILE": str(write_fontconfig(profile))}
    command = [
        soffice_binary(),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(out_dir),
        *[str(f) for f in files],
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    track(process)
    pdfs = [out_dir / f"{f.stem}.pdf" for f in files]
    deadline, seen = time.monotonic() + STARTUP_SECONDS + per_doc, 0
    try:
        while True:
            try:
                process.wait(timeout=POLL_SECONDS)
                return True
            except subprocess.TimeoutExpired:
                pass
            done = sum(1 for pdf in pdfs if pdf.exists())
            if done > seen:
                seen, deadline = done, time.monotonic() + per_doc
            if time.monotonic() > deadline or stopping.is_set():
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return False
    finally:
        forget(process)


def chunks(files: list[Path], count: int) -> list[list[Path]]:
    """Split files into `count` batches of similar total size (largest first, greedy)."""
    batches: list[list[Path]] = [[] for _ in range(count)]
    sizes = [0] * count
    for path in sorted(files, key=lambda f: (-f.stat().st_size, str(f))):
        slot = sizes.index(min(sizes))
        batches[slot].append(path)
        sizes[slot] += path.stat().st_size
    return [b for b in batches if b]


class Reporter:
    """Calls `on_done` once per document whose PDF is complete (thread-safe).

    Nothing is reported once the run is ending (`stopping`). The watch thread never raises: the
    first error of `on_done` there stops the watching and is kept in `error` for the thread that
    runs the conversion to raise (`raise_error`), so no thread prints a traceback.
    """

    def __init__(self, results: dict[Path, Path], on_done: OnDone | None):
        self.results = results
        self.on_done = on_done
        self.reported: set[Path] = set()
        self.lock = threading.Lock()
        self.error: BaseException | None = None

    def report(self, docx: Path) -> None:
        """Report one document (again, or once the run is ending: ignored)."""
        if stopping.is_set():
            return
        with self.lock:
            if docx in self.reported:
                return
            self.reported.add(docx)
        if self.on_done:
            self.on_done(docx)

    def sweep(self) -> None:
        """Report every document whose PDF has been written completely."""
        for docx, pdf in self.results.items():
            if docx not in self.reported and looks_finished(pdf):
                self.report(docx)

    def watch(self, stop: threading.Event) -> None:
        """Sweep until `stop` is set, the run is ending, or `on_done` failed (kept in `error`)."""
        while not stop.wait(POLL_SECONDS) and not stopping.is_set():
            try:
                self.sweep()
            except Exception as exc:  # handed to the converting thread (raise_error)
                self.error = exc
                return

    def raise_error(self) -> None:
        """Raise what `on_done` raised in the watch thread, unless the run is ending anyway."""
        if self.error is not None and not stopping.is_set():
            raise self.error


MAX_PER_PROCESS = 50  # LibreOffice grows ~5 MB per document to ~440 MB at 50; a restart caps it


def _convert_batch(batch: list[Path], out_dir: Path, per_doc: float) -> bool:
    """One worker's documents, in runs of at most MAX_PER_PROCESS per soffice process; True when one hung."""
    runs = -(-len(batch) // MAX_PER_PROCESS)
    size = -(-len(batch) // runs)  # runs of equal length: one short run would pay a whole start-up
    hung = False
    with lo_profile() as profile:
        for start in range(0, len(batch), size):
            run = batch[start:start + size]
            hung = not run_soffice(run, out_dir, per_doc, profile) or hung
            if not any(is_pdf(out_dir / f"{docx.stem}.pdf") for docx in run):
                discard(profile)  # a broken profile: the next run starts from a fresh one
    return hung


def _retry(docx: Path, pdf: Path, per_doc: float) -> tuple[str | None, bool]:
    """Convert one document again on a fresh profile: (the problem line when it still fails, whether it hung)."""
    pdf.unlink(missing_ok=True)
    with scratch_dir("dossier-lo-") as profile:
        finished = run_soffice([docx], pdf.parent, per_doc, profile)
    if is_pdf(pdf):
        return None, False
    pdf.unlink(missing_ok=True)
    why = f"timed out ({per_doc:g} s per document)" if not finished else "produced no valid PDF"
    return f"error: {docx.name}: LibreOffice conversion to PDF {why} (tried twice)", not finished


class Session:
    """What the conversions of one run share: once LibreOffice is found hung, nobody retries any more."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # one "is it LibreOffice or the document?" probe at a time
        self.dead = False


def _names(failed: list[Path]) -> str:
    names = [docx.name for docx in failed]
    return ", ".join(names[:SHOWN_NAMES]) + (f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else "")


def _dead(failed: list[Path], per_doc: float) -> ToolError:
    """LibreOffice hung on a batch and on the first document retried alone: report every document at once."""
    return ToolError(f"error: LibreOffice hangs: a batch and then {failed[0].name} alone ran past the time limit "
                     f"({per_doc:g} s per document, {STARTUP_SECONDS:g} s to start; see --timeout); "
                     f"not converted: {_names(failed)}")


def _dead_already(failed: list[Path]) -> ToolError:
    return ToolError(f"error: LibreOffice hangs (see above); not converted either: {_names(failed)}")


def convert_local(
    docx_files: list[Path], out_dir: Path, per_doc: float, workers: int, on_done: OnDone | None = None,
    session: Session | None = None,
) -> dict[Path, Path]:
    """Convert with local LibreOffice processes (see module docstring); returns {docx: pdf}.

    `session` is shared by the conversions of one run (see Session); default: one of its own.
    """
    session = session or Session()
    if session.dead:
        raise _dead_already(list(docx_files))
    results = {f: out_dir / f"{f.stem}.pdf" for f in docx_files}
    batches = chunks(list(docx_files), max(1, min(workers, len(docx_files))))
    reporter = Reporter(results, on_done)
    stop = threading.Event()
    watcher = threading.Thread(target=reporter.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=len(batches)) as pool:
            hung = any(list(pool.map(lambda b: _convert_batch(b, out_dir, per_doc), batches)))
            failed = [docx for docx, pdf in results.items() if not is_pdf(pdf)]
            problems: list[str] = []
            if failed and hung:  # did it hang because of one document, or is LibreOffice itself stuck?
                with session.lock:
                    if session.dead:
                        raise _dead_already(failed)
                    problem, hung_again = _retry(failed[0], results[failed[0]], per_doc)
                    if hung_again:
                        session.dead = True
                        raise _dead(failed, per_doc)
                problems, failed = [problem] if problem else [], failed[1:]
            problems += [p for p, _ in pool.map(lambda d: _retry(d, results[d], per_doc), failed) if p]
    finally:
        stop.set()
        watcher.join()
    reporter.raise_error()
    if problems:
        raise ToolError("\n".join(sorted(problems)))
    reporter.sweep()
    return results
