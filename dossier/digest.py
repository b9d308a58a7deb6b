"""Content hashes of what a document is rendered from (content + template + referenced files)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from dossier.model import Document, Workspace
from dossier.render import template_path

IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?")


def referenced_files(ws: Workspace, doc: Document) -> list[Path]:
    """The YAML, the Markdown body file, the template and every existing image the body embeds."""
    files = [doc.source]
    body_file = ws.root / doc.body_source
    if doc.body_source != doc.source_display and body_file.is_file():
        files.append(body_file)
    files.append(template_path(ws, doc.kind))
    for target in sorted(set(IMAGE.findall(doc.body))):
        image = (doc.source.parent / target).resolve()
        if image.is_file():
            files.append(image)
    return files


def _label(ws: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(ws.root).as_posix()
    except ValueError:
        return f"<default>/{path.name}"


def inputs_digest(ws: Workspace, doc: Document) -> str:
    """SHA-256 over (name, SHA-256) of every file the document is rendered from."""
    outer = hashlib.sha256()
    for path in referenced_files(ws, doc):
        outer.update(f"{_label(ws, path)}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return outer.hexdigest()
