"""What a command tells the document controller besides its result: copies to exchange or recall,
citations gone stale (device GMP 2025 Art. 43(1), (3)). Lines ready to print; warnings start with
`warning:` where the caller prints them as such.
"""

from __future__ import annotations

from datetime import date

from dossier.control.citations import citing_live, stale_citations
from dossier.control.controls import ledger_of
from dossier.control.copies import document_issues, due_back
from dossier.control.ledger import queries as ledger_queries
from dossier.markdown.queries import cited_ids
from dossier.workspace.model import Workspace


def check_warnings(ws: Workspace, today: date | None = None) -> list[str]:
    """Warnings `check` prints: effective or approved documents citing drafts or withdrawn documents."""
    return stale_citations(ws, ledger_of(ws).entries(), today or ws.config.today())


def _holder(copy) -> str:
    return f"{copy.holder}（{copy.department}）" if copy.department else copy.holder


def after_release(ws: Workspace, doc_id: str) -> list[str]:
    """After a release: the copies of older revisions to exchange, and citations of unreleased documents."""
    entries = ledger_of(ws).entries()
    doc = ws.documents[doc_id]
    latest = ledger_queries.releases(entries, doc_id)[-1].revision
    lines = [f"exchange copy {c.copy} (revision {c.revision}, {_holder(c)}): dossier recall {doc_id} --copy {c.copy} --by NAME, "
             f"then dossier issue {doc_id} --copy {c.copy} --by NAME"
             for c in due_back(document_issues(doc, entries), latest, withdrawn=False)]
    released = {e.document for e in ledger_queries.releases(entries)}
    lines.extend(f"warning: {doc_id} cites {cited}, which is not released: it is cited without a revision"
                 for cited in sorted(cited_ids(doc) - {doc_id}) if cited in ws.documents and cited not in released)
    return lines


def after_withdrawal(ws: Workspace, doc_id: str) -> list[str]:
    """After a withdrawal: every copy out to recall, and the effective documents still citing it."""
    entries = ledger_of(ws).entries()
    doc = ws.documents[doc_id]
    lines = []
    for c in due_back(document_issues(doc, entries), None, withdrawn=True):
        then = f"record its withdrawn: date in {doc.source_display}" if c.legacy else f"dossier recall {doc_id} --copy {c.copy} --by NAME"
        lines.append(f"recall copy {c.copy} (revision {c.revision}) from {_holder(c)}, issued {c.issued_on}; then {then}")
    lines.extend(f"warning: {cid} revision {rev} ({state}) still cites {doc_id}: revise {cid} to remove or replace the citation"
                 for cid, rev, state in citing_live(ws, entries, doc_id, ws.config.today()))
    return lines
