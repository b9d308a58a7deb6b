"""Content hashes of what a document is rendered from (content + template + referenced files)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dossier.markdown import image_names
from dossier.word.templates import template_path
from dossier.workspace.model import Document, Workspace


def referenced_files(ws: Workspace, doc: Document) -> list[Path]:
    """The YAML, the Markdown body file, the template and every existing image the body embeds."""
    files = [doc.source]
    body_file = ws.root / doc.body_source
    if doc.body_source != doc.source_display and body_file.is_file():
        files.append(body_file)
    files.append(template_path(ws, doc.kind))
    for target in sorted(set(image_names(doc.body))):
        image = (doc.source.parent / target).resolve()
        if image.is_file():
            files.append(image)
    return files


def _label(ws: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(ws.root).as_posix()
    except ValueError:
        return f"<default>/{path.name}"


# control records kept in the YAML, not part of what the document shows: the issued copies, and the
# articles it meets (they show in the quality manual's generated table, whose build key holds them)
NOT_CONTENT = ("distribution", "covers")


def _yaml_content(doc: Document) -> bytes:
    """The document's fields as canonical JSON, without the distribution record (comments ignored)."""
    fields = {k: v for k, v in doc.raw.items() if k not in NOT_CONTENT}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()


def inputs_digest(ws: Workspace, doc: Document) -> str:
    """SHA-256 over what the document is rendered from: its fields, body, template, images, company."""
    outer = hashlib.sha256()
    outer.update(f"company\0{ws.config.company_name}\0{ws.config.company_address}\n".encode())
    for path in referenced_files(ws, doc):
        data = _yaml_content(doc) if path == doc.source else path.read_bytes()
        outer.update(f"{_label(ws, path)}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return outer.hexdigest()
