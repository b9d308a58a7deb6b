"""`dossier site`: write the static document portal into one folder, replaced as a whole.

Steps: load and check the workspace (`load_checked`, without the edited-since-release check, which
does not concern published archive copies), compute the site data on the given day, run every
registered page builder, render the pages, copy each published PDF from the release archive
(checked against the SHA-256 the ledger recorded; revisions no longer in force marked 作废), and
write everything into a fresh folder that then replaces the old site. Same workspace and day →
same bytes: no clock, no random names, every listing sorted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.errors import UsageError
from dossier.pdf.textmark import void_mark
from dossier.pipeline.load import load_checked
from dossier.site import pages as _pages  # noqa: F401 (registers the page and section builders)
from dossier.site.model import SiteData, SiteFile, published_bytes, site_data
from dossier.site.registry import page_sets
from dossier.site.render import render_pages, static_files
from dossier.util.parallel import parallel_map

MARKER = ".dossier-site"  # in every site folder dossier writes; a folder without it is never replaced
STAMPS = {"": lambda data, note: data, "void": void_mark}


@dataclass(frozen=True)
class SiteResult:
    """Where the site went, its pages and files (site paths, sorted) and the day it describes."""

    out: Path
    pages: list[str]
    files: list[str]
    as_of: date


def site_files(data: SiteData) -> dict[str, bytes]:
    """Every file of the site by path: the rendered pages, the assets and the published PDFs."""
    built = [(page_set, page_set.build(data)) for page_set in page_sets()]
    common = {"company": data.ws.config.company_name, "as_of": data.as_of.isoformat()}
    files = render_pages(built, common)
    files.update(static_files())
    marked = [pdf for pdf in data.files if pdf.stamp]  # marking is CPU work: spread over the cores
    for pdf, content in zip(marked, parallel_map(_published, marked)):
        files[pdf.path] = content
    for pdf in data.files:
        if not pdf.stamp:
            files[pdf.path] = published_bytes(pdf)
    files[MARKER] = b"dossier site\n"
    return dict(sorted(files.items()))


def _published(file: SiteFile) -> bytes:
    """The bytes a PDF is published with: the archived file, marked as its stamp says."""
    return STAMPS[file.stamp](published_bytes(file), file.note)


def default_out(data: SiteData) -> Path:
    """build/site of the workspace."""
    return data.ws.config.build_path / "site"


def write_tree(out: Path, files: dict[str, bytes]) -> None:
    """Replace the folder `out` by one holding exactly `files` (refusing a folder dossier did not write)."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"error: --out {out}: exists and is not a site dossier wrote; choose an empty or new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        for path, data in files.items():
            target = fresh.joinpath(*path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o644)
        for folder in sorted({p for path in files for p in fresh.joinpath(*path.split("/")).parents if p.is_relative_to(fresh)}):
            folder.chmod(0o755)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old."))
            os.replace(out, old / "site")
        os.replace(fresh, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def build_site(root: Path, as_of: date | None, out: Path | None = None) -> SiteResult:
    """Write the site of the workspace at `root` as it stands on `as_of` (default: today in the
    workspace time zone, as for `dossier status`) into `out` (default build/site)."""
    ws = load_checked(root, released_unchanged=False)
    as_of = as_of or ws.config.today()
    data = site_data(ws, as_of)
    files = site_files(data)
    target = out if out is not None else default_out(data)
    write_tree(target, files)
    pages = [p for p in files if p.endswith(".html")]
    return SiteResult(target, pages, [p for p in files if not p.endswith(".html") and p != MARKER], as_of)
