"""Content hashes of what a document is rendered from (content + template + referenced files;
for a validation report also its CSV results and the protocol revision it is judged against).

`inputs_digest` is the one hash a release records (`inputs_sha256`); `input_hashes` lists the
hash of each input (recorded as `inputs` since version 0.2), so a later change can be named:
the document's own sources (its YAML fields, body, images, the documents it cites) against the
workspace's configuration (company, fonts) and template, which apply at the next revision.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dossier.markdown import image_names
from dossier.validation.sources import report_inputs
from dossier.word.templates import template_path
from dossier.workspace.kinds import KINDS
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
    """SHA-256 over what the document is rendered from: its fields, body, template, images, company
    (a report: also its CSV files and its protocol's title and criteria)."""
    outer = hashlib.sha256()
    outer.update(f"company\0{ws.config.company_name}\0{ws.config.company_address}\n".encode())
    for path in referenced_files(ws, doc):
        data = _yaml_content(doc) if path == doc.source else path.read_bytes()
        outer.update(f"{_label(ws, path)}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    kind = KINDS.get(doc.kind)
    if kind is not None and "report" in kind.fields:
        for label, data in report_inputs(ws, doc):
            outer.update(f"{label}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return outer.hexdigest()


CONFIGURATION = ("company", "fonts", "template")  # inputs that are not the document's own sources


def input_hashes(ws: Workspace, doc: Document, citations: dict[str, str]) -> dict[str, str]:
    """{input: SHA-256} of everything `doc` is rendered from.

    Keys: `company`, `fonts`, `template` (the workspace's configuration), the YAML and body
    files and each embedded image by their workspace path, and `cites QP-05` for each cited
    document (over how the citation reads, `citations`: cited id -> text); for a validation
    report also its CSV files by path and `protocol:VP-12-01@A` (the criteria it is judged on).
    """
    hashes = {
        "company": _sha(f"{ws.config.company_name}\0{ws.config.company_address}".encode()),
        "fonts": _sha(json.dumps(ws.config.font_choices(doc.kind), sort_keys=True, ensure_ascii=False).encode()),
    }
    template = template_path(ws, doc.kind)
    for path in referenced_files(ws, doc):
        data = _yaml_content(doc) if path == doc.source else path.read_bytes()
        hashes["template" if path == template else _label(ws, path)] = _sha(data)
    for cited, text in sorted(citations.items()):
        hashes[f"cites {cited}"] = _sha(text.encode())
    kind = KINDS.get(doc.kind)
    if kind is not None and "report" in kind.fields:
        hashes.update((label, _sha(data)) for label, data in report_inputs(ws, doc))
    return hashes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
