"""Document control data a rendered document shows: its control mark and revision history."""

from __future__ import annotations

from dataclasses import dataclass

from dossier.model import Document, Workspace
from dossier.render import EMPTY, HistoryRow


@dataclass(frozen=True)
class Controls:
    """Control mark (受控/草稿/作废) and revision history rows of one document."""

    mark: str
    history: list[HistoryRow]


def document_controls(ws: Workspace, doc: Document) -> Controls:
    """The working revision's own history row and mark."""
    row = HistoryRow(
        revision=doc.revision,
        effective=doc.effective_date.isoformat() if doc.effective_date else EMPTY,
        change=doc.change or EMPTY,
        prepared=doc.prepared_by.name if doc.prepared_by else "",
        approved=doc.approved_by.name if doc.approved_by else "",
    )
    return Controls(mark="受控", history=[row])
