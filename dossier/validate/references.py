"""Warnings about what bodies refer to: document numbers written as plain text, outdated external documents.

A document number of the workspace's numbering written as plain text (not `[[ID]]`) that names
no document is a warning here and an error when the document is released (`dossier release`).
A document citing an external document the register marks superseded or withdrawn is flagged
for review (device GMP 2025 Art. 44: keep the QMS up to date with external documents).
"""

from __future__ import annotations

from dossier.errors import Problems
from dossier.markdown.queries import outdated_references, unknown_numbers
from dossier.workspace.model import Workspace


def warn_references(ws: Workspace, problems: Problems) -> None:
    """Warnings for unknown plain-text numbers and outdated external citations, document by document."""
    for doc in ws.documents.values():
        for line, number in unknown_numbers(ws, doc):
            problems.warn(doc.body_source, line, "body", f"{number} is written as a document number but no document "
                          f"{number} exists (cite documents as [[ID]]; release refuses this)")
        for message in outdated_references(ws, doc):
            problems.warn(doc.source_display, None, "", message)
