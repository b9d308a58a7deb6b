"""What release and obsolete tell the document controller besides their result: copies to exchange
or recall, citations gone stale (device GMP 2025 Art. 43(1), (3)). Lines ready to print; warnings
start with `warning:`. (What `check` and `build` warn about: `pipeline.load.workspace_warnings`.)
"""

from __future__ import annotations

from dossier.control.citations import citing_live, first_sites
from dossier.control.controls import ledger_of
from dossier.control.copies import document_issues, due_back
from dossier.control.ledger import queries as ledger_queries
from dossier.errors import InputProblem
from dossier.markdown.queries import Site
from dossier.workspace.model import Workspace


def _warning(site: Site, message: str) -> str:
    """`warning: FILE:LINE: FIELD: message` at a citation."""
    return f"warning: {InputProblem(site.path, site.line, site.field, message)}"


def _holder(copy) -> str:
    return f"{copy.holder}（{copy.department}）" if copy.department else copy.holder


def after_release(ws: Workspace, doc_id: str) -> list[str]:
    """After a release: the copies of older revisions to exchange, and citations of unreleased documents."""
    entries = ledger_of(ws).entries()
    doc = ws.documents[doc_id]
    latest = ledger_queries.releases(entries, doc_id)[-1].revision
    lines = [f"exchange copy {c.copy} (revision {c.revision}, {_holder(c)}): dossier recall {doc_id} --copy {c.copy} --by NAME, "
             f"then dossier issue {doc_id} --copy {c.copy} --by NAME"
             for c in due_back(document_issues(doc, entries, ws.config.zone), latest, withdrawn=False)]
    released = {e.document for e in ledger_queries.releases(entries)}
    sites = first_sites(doc)
    lines.extend(_warning(sites[cited], f"{doc_id} cites {cited}, which is not released: it is cited without a revision")
                 for cited in sorted(set(sites) - {doc_id}) if cited in ws.documents and cited not in released)
    return lines


def after_withdrawal(ws: Workspace, doc_id: str) -> list[str]:
    """After a withdrawal: every copy out to recall, and the effective documents still citing it."""
    entries = ledger_of(ws).entries()
    doc = ws.documents[doc_id]
    lines = []
    for c in due_back(document_issues(doc, entries, ws.config.zone), None, withdrawn=True):
        then = f"record its withdrawn: date in {doc.source_display}" if c.legacy else f"dossier recall {doc_id} --copy {c.copy} --by NAME"
        lines.append(f"recall copy {c.copy} (revision {c.revision}) from {_holder(c)}, issued {c.issued_on}; then {then}")
    lines.extend(_warning(site, f"{cid} revision {rev} ({state}) still cites {doc_id}: revise {cid} to remove or replace the citation")
                 for cid, rev, state, site in citing_live(ws, entries, doc_id, ws.config.today()))
    return lines
