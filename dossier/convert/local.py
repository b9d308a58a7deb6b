"""The local converter pool: one headless LibreOffice process per core, each on its own profile.

Documents are split into one batch per worker (similar total size). A batch that hangs is
killed after its timeout. Documents without a valid PDF afterwards are retried once, each on
its own and on a fresh temporary profile (in case the cached one is broken); a document that
still fails is reported by name. Completion of each document is reported as its PDF appears.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dossier.convert.outputs import is_pdf, looks_finished
from dossier.convert.profiles import discard, lo_profile
from dossier.errors import ToolError
from dossier.fonts import write_fontconfig

STARTUP_SECONDS = 60.0
POLL_SECONDS = 0.2

OnDone = Callable[[Path], None]


def soffice_binary() -> str:
    """Path of the LibreOffice executable, or a ToolError saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(
        "LibreOffice not found: install it (apt-get install libreoffice-writer-nogui fonts-noto-cjk)"
    )


def run_soffice(files: list[Path], out_dir: Path, timeout: float, profile: Path) -> bool:
    """Convert `files` into `out_dir` with one soffice process on `profile`; False when it timed out."""
    # the faces a .docx names (宋体, 黑体, Times New Roman) drawn with installed ones (see dossier.fonts)
    env = {**os.environ, "HOME": str(profile), "FONTCONFIG_FILE": str(write_fontconfig(profile))}
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
    try:
        process.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


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
    """Calls `on_done` once per document whose PDF is complete (thread-safe)."""

    def __init__(self, results: dict[Path, Path], on_done: OnDone | None):
        self.results = results
        self.on_done = on_done
        self.reported: set[Path] = set()
        self.lock = threading.Lock()

    def report(self, docx: Path) -> None:
        """Report one document (again: ignored)."""
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
        """Sweep until `stop` is set."""
        while not stop.wait(POLL_SECONDS):
            self.sweep()


MAX_PER_PROCESS = 50  # LibreOffice grows ~5 MB per document to ~440 MB at 50; a restart caps it


def _convert_batch(batch: list[Path], out_dir: Path, per_doc: float) -> None:
    """One worker's documents, in runs of at most MAX_PER_PROCESS per soffice process."""
    runs = -(-len(batch) // MAX_PER_PROCESS)
    size = -(-len(batch) // runs)  # runs of equal length: one short run would pay a whole start-up
    with lo_profile() as profile:
        for start in range(0, len(batch), size):
            run = batch[start:start + size]
            run_soffice(run, out_dir, STARTUP_SECONDS + per_doc * len(run), profile)
            if not any(is_pdf(out_dir / f"{docx.stem}.pdf") for docx in run):
                discard(profile)  # a broken profile: the next run starts from a fresh one


def _retry(docx: Path, pdf: Path, per_doc: float) -> str | None:
    """Convert one document again on a fresh profile; the problem line when it still fails."""
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="dossier-lo-") as profile:
        finished = run_soffice([docx], pdf.parent, STARTUP_SECONDS + per_doc, Path(profile))
    if is_pdf(pdf):
        return None
    pdf.unlink(missing_ok=True)
    why = "timed out" if not finished else "produced no valid PDF"
    return f"error: {docx.name}: LibreOffice conversion to PDF {why} (tried twice)"


def convert_local(
    docx_files: list[Path], out_dir: Path, per_doc: float, workers: int, on_done: OnDone | None = None
) -> dict[Path, Path]:
    """Convert with local LibreOffice processes (see module docstring); returns {docx: pdf}."""
    results = {f: out_dir / f"{f.stem}.pdf" for f in docx_files}
    batches = chunks(list(docx_files), max(1, min(workers, len(docx_files))))
    reporter = Reporter(results, on_done)
    stop = threading.Event()
    watcher = threading.Thread(target=reporter.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=len(batches)) as pool:
            list(pool.map(lambda b: _convert_batch(b, out_dir, per_doc), batches))
            failed = [docx for docx, pdf in results.items() if not is_pdf(pdf)]
            problems = [p for p in pool.map(lambda d: _retry(d, results[d], per_doc), failed) if p]
    finally:
        stop.set()
        watcher.join()
    if problems:
        raise ToolError("\n".join(sorted(problems)))
    reporter.sweep()
    return results
