"""Validate step: the rules a workspace must meet before anything is rendered.

Covers document numbering, revision format, sign-off dates, citations between documents,
record-form layout and the elements a validation protocol must carry (device GMP Art. 76)
(`documents`, `blocks`), the articles documents declare they meet, the not-applicable list and
the record fields an article prescribes (`coverage`), plain-text document numbers and outdated
external documents (`references`, warnings), and what dossier.yaml configures: templates,
fonts, converters (`settings`). Problems are collected, never raised, so a run reports all of them.
"""

from __future__ import annotations

from dossier.errors import Problems
from dossier.validate.coverage import validate_coverage
from dossier.validate.documents import validate_document
from dossier.validate.references import warn_references
from dossier.validate.settings import validate_converters, validate_fonts, validate_templates
from dossier.workspace.model import Workspace


def validate_workspace(ws: Workspace, problems: Problems) -> None:
    """Validate step for the whole workspace; problems are collected, not raised."""
    if not ws.documents and not problems:
        problems.add(f"{ws.config.content_dir}/", None, "", "no documents found (expected content/<ID>.yaml files)")
    for doc in ws.documents.values():
        if doc.kind:
            validate_document(ws, doc, problems)
    validate_coverage(ws, problems)
    warn_references(ws, problems)
    validate_templates(ws, problems)
    validate_fonts(ws, problems)
    validate_converters(ws, problems)
