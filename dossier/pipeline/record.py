"""Record step: outputs renamed into the build directory, the build cache, and build/manifest.json.

Everything is written only after the whole run succeeded (each file atomically: temp file +
rename); the manifest is written last and always describes what build/ holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dossier.control.archive import sha256_file
from dossier.pipeline.cache import BuildCache
from dossier.pipeline.filings import DISINFECTANT_DIR
from dossier.util.atomic import write_bytes, write_text
from dossier.workspace.model import Workspace

MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    """What a build wrote: {document id: {format: path}}, what was up to date, the manifest path,
    filing files, and warnings to print."""

    outputs: dict[str, dict[str, Path]] = field(default_factory=dict)
    manifest: Path | None = None
    up_to_date: list[str] = field(default_factory=list)
    products: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a disinfectant rule set no longer in force


def write_outputs(ws: Workspace, outputs: dict[str, bytes]) -> list[Path]:
    """Write {path under the build directory: bytes}, each atomically; returns the paths."""
    written = []
    for name, data in sorted(outputs.items()):
        path = ws.config.build_path / name
        write_bytes(path, data)
        written.append(path)
    return written


def document_outputs(outputs: dict[str, dict[str, bytes]]) -> dict[str, bytes]:
    """{document id: {suffix: bytes}} as {"ID.suffix": bytes}."""
    return {f"{doc_id}.{suffix}": data for doc_id, files in outputs.items() for suffix, data in files.items()}


def write_manifest(ws: Workspace, cache: BuildCache) -> Path:
    """build/manifest.json: every output in the build directory with its SHA-256.

    A signed PDF also lists `unsigned_sha256`, the hash a rebuild reproduces.
    """
    build = ws.config.build_path
    entries = []
    for doc in ws.documents.values():
        outputs = []
        for suffix in ("docx", "pdf"):
            path = build / f"{doc.id}.{suffix}"
            if path.is_file():
                item = {"path": path.relative_to(ws.root).as_posix(), "sha256": sha256_file(path)}
                unsigned = cache.unsigned(doc.id, suffix)
                if unsigned and unsigned != item["sha256"]:
                    item["unsigned_sha256"] = unsigned
                outputs.append(item)
        if outputs:
            entries.append({"id": doc.id, "title": doc.title, "revision": doc.revision, "outputs": outputs})
    products = sorted((build / DISINFECTANT_DIR).rglob("*")) if (build / DISINFECTANT_DIR).is_dir() else []
    filings = []
    for path in (p for p in products if p.is_file() and not p.name.startswith(".")):
        item = {"path": path.relative_to(ws.root).as_posix(), "sha256": sha256_file(path)}
        unsigned = cache.unsigned_filing(path.relative_to(build).as_posix())
        if unsigned and unsigned != item["sha256"]:
            item["unsigned_sha256"] = unsigned
        filings.append(item)
    path = build / MANIFEST
    write_text(path, json.dumps({"documents": entries, "disinfectant": filings}, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path
