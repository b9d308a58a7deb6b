"""Incremental builds: an output is rebuilt only when something it depends on changed.

A document's build key hashes everything its outputs are made from: the tool version, its
YAML, Markdown body, template and embedded images (digest.py), the workspace settings it shows
(company), the title/number/revision of every document it cites, its document-control data from
the ledger (mark, watermark, sign-offs, history rows) and SOURCE_DATE_EPOCH. The cache file
(`build/.cache/state.json`) maps each document to its key and the SHA-256 of each output; an
output is reused only when the key matches and the file on disk still has that hash. A cache
that cannot be read is ignored (full rebuild), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dossier import __version__
from dossier.atomic import write_text
from dossier.control import Controls
from dossier.digest import inputs_digest
from dossier.model import Document, Workspace
from dossier.status import cited_ids

CACHE_FILE = Path(".cache") / "state.json"
FORMAT_VERSION = 1


def build_key(ws: Workspace, doc: Document, controls: Controls) -> str:
    """SHA-256 of everything the document's outputs depend on."""
    cited = {cid: ws.citation(cid) for cid in sorted(cited_ids(doc)) if cid in ws.documents}
    material: dict[str, Any] = {
        "tool": __version__,
        "format": FORMAT_VERSION,
        "inputs": inputs_digest(ws, doc),
        "company": [ws.config.company_name, ws.config.company_address],
        "cited": cited,
        "controls": asdict(controls),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


class BuildCache:
    """The cache of one workspace's build directory."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self.path = build_dir / CACHE_FILE
        self.documents: dict[str, dict[str, Any]] = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_VERSION or not isinstance(data.get("documents"), dict):
                return {}
            return {k: v for k, v in data["documents"].items() if isinstance(v, dict)}
        except (OSError, ValueError, AttributeError):
            return {}

    def fresh(self, doc_id: str, key: str, suffixes: list[str]) -> bool:
        """True when every requested output of `doc_id` is on disk exactly as built for `key`."""
        entry = self.documents.get(doc_id)
        if not entry or entry.get("key") != key:
            return False
        outputs = entry.get("outputs") or {}
        for suffix in suffixes:
            path = self.build_dir / f"{doc_id}.{suffix}"
            expected = outputs.get(suffix)
            if not expected or not path.is_file():
                return False
            if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
                return False
        return True

    def record(self, doc_id: str, key: str, outputs: dict[str, bytes]) -> None:
        """Remember what was just built for `doc_id` (outputs of another key are forgotten)."""
        entry = self.documents.get(doc_id)
        known = entry.get("outputs", {}) if entry and entry.get("key") == key else {}
        known.update({suffix: hashlib.sha256(data).hexdigest() for suffix, data in outputs.items()})
        self.documents[doc_id] = {"key": key, "outputs": known}

    def save(self) -> None:
        """Write the cache atomically."""
        write_text(self.path, json.dumps({"format": FORMAT_VERSION, "documents": self.documents}, sort_keys=True, indent=1))
