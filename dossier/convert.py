"""docx -> PDF through headless LibreOffice, one process per batch (one batch per core).

LibreOffice exits 0 even when a conversion failed, so every output is checked. Each process
gets its own profile directory (two processes on one profile silently convert nothing). A batch
that hangs is killed after its timeout; its unconverted documents are retried once, each on its
own, and a document that still fails is reported by name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from dossier.errors import ToolError

SECONDS_PER_DOCUMENT = 30.0
STARTUP_SECONDS = 60.0


def soffice_binary() -> str:
    """Path of the LibreOffice executable, or a ToolError saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolError(
        "LibreOffice not found: install it (apt-get install libreoffice-writer-nogui fonts-noto-cjk)"
    )


def _is_pdf(path: Path) -> bool:
    try:
        return path.stat().st_size > 0 and len(PdfReader(path).pages) > 0
    except (OSError, PdfReadError, ValueError):
        return False


def _run_soffice(files: list[Path], out_dir: Path, timeout: float) -> bool:
    """Convert `files` into `out_dir` with one soffice process; False when it timed out."""
    with tempfile.TemporaryDirectory(prefix="dossier-lo-") as profile:
        env = {**os.environ, "HOME": profile}
        command = [
            soffice_binary(),
            f"-env:UserInstallation=file://{profile}",
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
            os.killpg(process.pid, 9)
            process.wait()
            return False


def _chunks(files: list[Path], count: int) -> list[list[Path]]:
    """Split files into `count` batches of similar total size (largest first, greedy)."""
    batches: list[list[Path]] = [[] for _ in range(count)]
    sizes = [0] * count
    for path in sorted(files, key=lambda f: (-f.stat().st_size, str(f))):
        slot = sizes.index(min(sizes))
        batches[slot].append(path)
        sizes[slot] += path.stat().st_size
    return [b for b in batches if b]


def convert_batch(
    docx_files: list[Path],
    out_dir: Path,
    timeout: float | None = None,
    workers: int | None = None,
) -> dict[Path, Path]:
    """Convert every docx to `out_dir/<stem>.pdf`; returns {docx: pdf}.

    Uses one LibreOffice process per worker (default: number of cores, at most one per file).
    `timeout` is per document. Raises ToolError naming each document that could not be converted.
    """
    if not docx_files:
        return {}
    stems = [f.stem for f in docx_files]
    if len(set(stems)) != len(stems):
        raise ToolError("two documents in one conversion batch share a file name")
    per_doc = timeout or SECONDS_PER_DOCUMENT
    out_dir.mkdir(parents=True, exist_ok=True)
    count = max(1, min(workers or os.cpu_count() or 1, len(docx_files)))
    batches = _chunks(list(docx_files), count)

    def run(batch: list[Path]) -> None:
        _run_soffice(batch, out_dir, STARTUP_SECONDS + per_doc * len(batch))

    with ThreadPoolExecutor(max_workers=len(batches)) as pool:
        list(pool.map(run, batches))

    results = {f: out_dir / f"{f.stem}.pdf" for f in docx_files}
    failed = [f for f, pdf in results.items() if not _is_pdf(pdf)]
    problems = []
    for docx in failed:
        results[docx].unlink(missing_ok=True)
        finished = _run_soffice([docx], out_dir, STARTUP_SECONDS + per_doc)
        if not _is_pdf(results[docx]):
            results[docx].unlink(missing_ok=True)
            why = "timed out" if not finished else "produced no valid PDF"
            problems.append(f"error: {docx.name}: LibreOffice conversion to PDF {why} (tried twice)")
    if problems:
        raise ToolError("\n".join(problems))
    return results
