"""Record step: outputs, the build cache and build/manifest.json moved into the build directory as one step.

Everything a build writes is staged first (`dossier.util.staging`) and moved into place only
after the whole run succeeded, the manifest last: a failure or a kill leaves the build directory
as it was (or, killed during the moves, it is finished by the next build), so the manifest
always describes what build/ holds. `clean_leftovers` (start of every build) finishes or removes
what killed runs left: staging folders, temporary files of atomic writes, scratch folders.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dossier.control.archive import sha256_file
from dossier.pipeline.cache import CACHE_FILE, DISINFECTANT_DIR, BuildCache
from dossier.util.atomic import write_text
from dossier.util.scratch import clean_scratch, remove_stale_tmp
from dossier.util.staging import Staging, recover
from dossier.workspace.model import Workspace

FORMATS = ("docx", "pdf", "all")  # what --format asks for

MANIFEST = "manifest.json"

Lookup = Callable[[str], Path | None]  # name under the build directory -> the file it will be, or None


@dataclass
class BuildResult:
    """What a build wrote: {document id: {format: path}}, what was up to date, the manifest path,
    filing files (its warnings go to the collector `build` is given)."""

    outputs: dict[str, dict[str, Path]] = field(default_factory=dict)
    manifest: Path | None = None
    up_to_date: list[str] = field(default_factory=list)
    products: list[Path] = field(default_factory=list)


def clean_leftovers(ws: Workspace) -> list[str]:
    """Finish or remove what killed runs left in build/ and in the temporary directory; what was finished."""
    build = ws.config.build_path
    done = recover(build)
    remove_stale_tmp(build)
    clean_scratch()
    return done


def write_outputs(ws: Workspace, outputs: dict[str, bytes]) -> list[Path]:
    """Write {path under the build directory: bytes} as one step (all or none); returns the paths."""
    with Staging(ws.config.build_path) as stage:
        for name, data in sorted(outputs.items()):
            stage.put(name, data)
        stage.commit()
    return [ws.config.build_path / name for name in sorted(outputs)]


def document_outputs(outputs: dict[str, dict[str, bytes]]) -> dict[str, bytes]:
    """{document id: {suffix: bytes}} as {"ID.suffix": bytes}."""
    return {f"{doc_id}.{suffix}": data for doc_id, files in outputs.items() for suffix, data in files.items()}


def staged_lookup(ws: Workspace, stage: Staging) -> Lookup:
    """What a name under the build directory will be once `stage` is committed."""
    build = ws.config.build_path

    def lookup(name: str) -> Path | None:
        staged = stage.staged(name)
        if staged is not None:
            return staged
        if name in stage.removals:
            return None
        path = build / name
        return path if path.is_file() else None
    return lookup


def _filing_names(ws: Workspace, stage: Staging | None) -> list[str]:
    """Names (under build/) of the filing files build/ will hold."""
    build = ws.config.build_path
    root = build / DISINFECTANT_DIR
    names = set()
    if root.is_dir():
        names = {p.relative_to(build).as_posix() for p in root.rglob("*")
                 if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}
    if stage is not None:
        names |= {n for n in stage.puts if n.startswith(f"{DISINFECTANT_DIR}/")}
        names -= set(stage.removals)
    return sorted(names)


def manifest_json(ws: Workspace, cache: BuildCache, lookup: Lookup, filing_names: list[str]) -> str:
    """build/manifest.json: every output with its SHA-256 (a signed PDF also its `unsigned_sha256`)."""
    entries = []
    for doc in ws.documents.values():
        outputs = []
        for suffix in ("docx", "pdf"):
            name = f"{doc.id}.{suffix}"
            path = lookup(name)
            if path is not None:
                item = {"path": (ws.config.build_path / name).relative_to(ws.root).as_posix(), "sha256": sha256_file(path)}
                unsigned = cache.unsigned(doc.id, suffix)
                if unsigned and unsigned != item["sha256"]:
                    item["unsigned_sha256"] = unsigned
                outputs.append(item)
        if outputs:
            entries.append({"id": doc.id, "title": doc.title, "revision": doc.revision, "outputs": outputs})
    filings = []
    for name in filing_names:
        path = lookup(name)
        if path is None:
            continue
        item = {"path": (ws.config.build_path / name).relative_to(ws.root).as_posix(), "sha256": sha256_file(path)}
        unsigned = cache.unsigned_filing(name)
        if unsigned and unsigned != item["sha256"]:
            item["unsigned_sha256"] = unsigned
        filings.append(item)
    return json.dumps({"documents": entries, "disinfectant": filings}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def stage_manifest(ws: Workspace, cache: BuildCache, stage: Staging) -> Path:
    """Stage the cache and the manifest describing build/ as it will be after `stage` commits."""
    stage.put(CACHE_FILE.as_posix(), cache.dumps())
    text = manifest_json(ws, cache, staged_lookup(ws, stage), _filing_names(ws, stage))
    stage.put(MANIFEST, text.encode("utf-8"))
    return ws.config.build_path / MANIFEST


def write_manifest(ws: Workspace, cache: BuildCache) -> Path:
    """build/manifest.json for what build/ holds now (see `manifest_json`), written atomically."""
    build = ws.config.build_path

    def lookup(name: str) -> Path | None:
        return build / name if (build / name).is_file() else None
    path = build / MANIFEST
    write_text(path, manifest_json(ws, cache, lookup, _filing_names(ws, None)))
    return path
