"""Incremental builds: an output is rebuilt only when something it depends on changed.

A document's build key hashes everything its outputs are made from: the tool (its version, the
content of its package files, so a changed rule or renderer counts even within a version, and
the versions of the libraries and LibreOffice that write the outputs), its
YAML, Markdown body, template and embedded images (digest.py), the workspace settings it shows
(company, heading numbering), the title/number/revision of every document it cites, the tables
generated for its `{coverage}` blocks (the articles every document declares), its document-control data from
the ledger (mark, watermark, sign-offs, history rows) and SOURCE_DATE_EPOCH. The cache file
(`build/.cache/state.json`) maps each document to its key and the SHA-256 of each output; an
output is reused only when the key matches and the file on disk still has that hash. A cache
that cannot be read is ignored (full rebuild), never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from dossier import __version__
from dossier.control.controls import Controls
from dossier.control.digest import inputs_digest
from dossier.pipeline.directives import expansions
from dossier.util.atomic import write_text
from dossier.util.jsoncache import is_pairs, read_cache
from dossier.util.staging import is_inside
from dossier.workspace.model import Document, Workspace

CACHE_FILE = Path(".cache") / "state.json"
PRODUCTS = "<disinfectant>"
DISINFECTANT_DIR = "disinfectant"  # the filings' folder under build/
FORMAT_VERSION = 3  # 3: filing outputs keyed by their path under the build directory


# what else shapes the output bytes: the libraries that write docx and PDF, and LibreOffice
OUTPUT_PACKAGES = ("python-docx", "docxtpl", "docxcompose", "lxml", "jinja2", "markdown-it-py", "mdit-py-plugins", "pypdf",
                   "pillow", "fonttools")


@functools.cache
def tool_fingerprint() -> str:
    """The dossier version plus a SHA-256 over its package files (code, rule data), the versions of
    the libraries that write the outputs and LibreOffice's version file: ~5 ms, once per run."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in OUTPUT_PACKAGES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    versionrc = Path(soffice).resolve().parent / "versionrc" if soffice else None
    if versionrc is not None and versionrc.is_file():
        digest.update(versionrc.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def build_key(ws: Workspace, doc: Document, controls: Controls, sign: tuple[str, ...] | list[str] = ()) -> str:
    """SHA-256 of everything the document's outputs depend on (and the profiles that sign them)."""
    material: dict[str, Any] = {
        "tool": tool_fingerprint(),
        "format": FORMAT_VERSION,
        "inputs": inputs_digest(ws, doc),
        "generated": expansions(ws, doc),
        "company": [ws.config.company_name, ws.config.company_address],
        "fonts": ws.config.font_choices(doc.kind),
        "numbering": doc.heading_numbers(ws.config),
        "controls": asdict(controls),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "sign": list(sign),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def products_key(ws: Workspace, sign: tuple[str, ...] | list[str] = ()) -> str:
    """SHA-256 over every file of the disinfectant products (content/disinfectant/) and the signing profiles."""
    base = ws.root / ws.config.content_dir / "disinfectant"
    digest = hashlib.sha256(f"{tool_fingerprint()}\0{FORMAT_VERSION}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    if sign:
        digest.update(f"sign\0{json.dumps(list(sign))}\n".encode())
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(base).as_posix()}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def _is_entry(doc_id: str, entry: Any) -> bool:
    """{"key": str, "outputs": {name: sha256}, "unsigned": {name: sha256}} as `record` writes it: a document's
    names are its suffixes (docx, pdf); the filings' are paths under build/disinfectant/ (never `..`)."""
    if not (isinstance(entry, dict) and isinstance(entry.get("key"), str) and is_pairs(entry.get("outputs"))
            and is_pairs(entry.get("unsigned", {}))):
        return False
    names = set(entry["outputs"]) | set(entry.get("unsigned", {}))
    if doc_id != PRODUCTS:
        return names <= {"docx", "pdf"}
    return all(name.startswith(f"{DISINFECTANT_DIR}/") and is_inside(name) for name in names)


class BuildCache:
    """The cache of one workspace's build directory."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self.path = build_dir / CACHE_FILE
        self.documents: dict[str, dict[str, Any]] = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        """The entries of the cache file that have the shape `record` writes; the others are dropped (rebuilt)."""
        data = read_cache(self.path)
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or not isinstance(data.get("documents"), dict):
            return {}
        return {k: v for k, v in data["documents"].items() if _is_entry(k, v)}

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

    def record(self, doc_id: str, key: str, outputs: dict[str, bytes], unsigned: dict[str, str] | None = None) -> None:
        """Remember what was just built for `doc_id` (outputs of another key are forgotten).

        `unsigned` maps a signed output's suffix to the SHA-256 it had before signing.
        """
        entry = self.documents.get(doc_id)
        same = bool(entry and entry.get("key") == key)
        known = entry.get("outputs", {}) if same else {}
        known.update({suffix: hashlib.sha256(data).hexdigest() for suffix, data in outputs.items()})
        before = (entry.get("unsigned", {}) if same else {}) | (unsigned or {})
        self.documents[doc_id] = {"key": key, "outputs": known, "unsigned": before}

    def unsigned(self, doc_id: str, suffix: str) -> str | None:
        """SHA-256 of an output before it was signed, when it was built signed."""
        return (self.documents.get(doc_id) or {}).get("unsigned", {}).get(suffix)

    def products_fresh(self, key: str) -> bool:
        """True when the disinfectant filings on disk were built from inputs with `key`."""
        entry = self.documents.get(PRODUCTS)
        if not entry or entry.get("key") != key:
            return False
        for name, digest in (entry.get("outputs") or {}).items():
            path = self.build_dir / name
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return False
        return bool(entry.get("outputs"))

    def record_products(self, key: str, outputs: dict[str, bytes], unsigned: dict[str, str] | None = None) -> None:
        """Remember the disinfectant filings just built ({path under the build directory: bytes}).

        `unsigned` maps a signed file's path to the SHA-256 it had before signing.
        """
        hashes = {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}
        self.documents[PRODUCTS] = {"key": key, "outputs": hashes, "unsigned": unsigned or {}}

    def unsigned_filing(self, name: str) -> str | None:
        """SHA-256 of a filing file (path under the build directory) before it was signed."""
        return (self.documents.get(PRODUCTS) or {}).get("unsigned", {}).get(name)

    def product_outputs(self) -> set[str]:
        """Paths (under the build directory) of the filing files last built."""
        return set((self.documents.get(PRODUCTS) or {}).get("outputs") or {})

    def forget_products(self) -> None:
        """The workspace has no products any more."""
        self.documents.pop(PRODUCTS, None)

    def dumps(self) -> bytes:
        """The cache file's content."""
        return json.dumps({"format": FORMAT_VERSION, "documents": self.documents}, sort_keys=True, indent=1).encode("utf-8")

    def save(self) -> None:
        """Write the cache atomically."""
        write_text(self.path, self.dumps().decode("utf-8"))
