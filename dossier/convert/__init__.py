"""docx -> PDF: a local LibreOffice pool (one process per core) or remote conversion servers.

`convert_batch` is the one entry point. Local conversion is in `dossier.convert.local`,
remote servers (unoserver, Gotenberg) in `dossier.convert.remote`. Without explicit
`converters`, the environment variable DOSSIER_CONVERTER (URLs separated by commas or spaces)
selects remote servers; otherwise conversion is local.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from dossier.convert.local import Session, convert_local, soffice_binary
from dossier.errors import ToolError

SECONDS_PER_DOCUMENT = 30.0
CONVERTER_ENV = "DOSSIER_CONVERTER"

__all__ = ["CONVERTER_ENV", "SECONDS_PER_DOCUMENT", "Session", "configured_converters", "convert_batch", "soffice_binary"]


def configured_converters() -> list[str]:
    """Converter URLs from DOSSIER_CONVERTER (empty: convert locally)."""
    return [u for u in re.split(r"[,\s]+", os.environ.get(CONVERTER_ENV, "")) if u]


def convert_batch(
    docx_files: list[Path],
    out_dir: Path,
    timeout: float | None = None,
    workers: int | None = None,
    *,
    converters: Sequence[str] | None = None,
    on_done: Callable[[Path], None] | None = None,
    session: Session | None = None,
) -> dict[Path, Path]:
    """Convert every docx to `out_dir/<stem>.pdf`; returns {docx: pdf}.

    `timeout` is per document (default 30 s). Locally, `workers` LibreOffice processes run
    (default: one per core, at most one per file). `converters` are server URLs
    (`unoserver://HOST:PORT`, `gotenberg+http://HOST:PORT`) used instead of local processes
    (default: DOSSIER_CONVERTER). `on_done(docx)` is called once per document as soon as its
    PDF is complete, from a worker thread. `session` is shared by the batches of one run (a
    LibreOffice found hung is not retried by the others). Raises ToolError naming each document
    that could not be converted, UsageError for a malformed converter URL.
    """
    if not docx_files:
        return {}
    stems = [f.stem for f in docx_files]
    if len(set(stems)) != len(stems):
        raise ToolError("two documents in one conversion batch share a file name")
    per_doc = timeout or SECONDS_PER_DOCUMENT
    urls = list(converters) if converters is not None else configured_converters()
    out_dir.mkdir(parents=True, exist_ok=True)
    if urls:
        from dossier.convert.remote import convert_remote, parse_endpoints  # HTTP clients only when used

        return convert_remote(list(docx_files), out_dir, parse_endpoints(urls), per_doc, on_done)
    return convert_local(list(docx_files), out_dir, per_doc, workers or os.cpu_count() or 1, on_done, session)
