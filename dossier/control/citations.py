"""Citations kept current: which controlled documents cite drafts or withdrawn documents.

Device GMP 2025 Art. 43(3): documents in use are the right texts and withdrawn ones are marked
so they are not used by mistake. A released revision cites what its archived sources cite; a
citation is stale when the cited document was never released (a draft: the citing text names
no controlled revision of it) or is withdrawn (作废).
"""

from __future__ import annotations

from datetime import date

from dossier.control.archive import release_dir
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import State, entry_date, revision_states
from dossier.errors import InputProblem, Problems
from dossier.markdown.queries import Site, citation_sites, cited_ids
from dossier.workspace.load import load_document
from dossier.workspace.model import Document, Workspace

LIVE = (State.EFFECTIVE, State.APPROVED)


def where_used(ws: Workspace, doc_id: str) -> list[str]:
    """Ids of the documents whose working sources cite `doc_id`, sorted."""
    return sorted(d.id for d in ws.documents.values() if doc_id in cited_ids(d) and d.id != doc_id)


def revision_sources(ws: Workspace, doc: Document, revision: str) -> Document:
    """`doc` as revision `revision` was released: its archived sources (files shown relative to the
    workspace, releases/ID/REV/…), else the working ones."""
    archived = release_dir(ws.root, doc.id, revision, ws.config.releases_dir) / f"{doc.id}.yaml"
    if doc.revision == revision or not archived.is_file():
        return doc
    return load_document(archived, ws.root, Problems()) or doc


def released_citations(ws: Workspace, doc: Document, revision: str) -> set[str]:
    """The ids `doc` revision `revision` cites as released: from its archived sources, else the working ones."""
    return cited_ids(revision_sources(ws, doc, revision))


def live_revision(entries: list[LedgerEntry], doc_id: str, today: date) -> tuple[str, State] | None:
    """The revision of `doc_id` in force (else the approved one awaiting its date) and its state."""
    states = revision_states(entries, doc_id, today)
    live = [(rev, state) for rev, state in states.items() if state in LIVE]
    return next((item for item in live if item[1] is State.EFFECTIVE), live[-1] if live else None)


def first_sites(doc: Document) -> dict[str, Site]:
    """{cited id: where `doc` cites it first} (see `markdown.queries.citation_sites`)."""
    sites: dict[str, Site] = {}
    for site in citation_sites(doc):
        sites.setdefault(site.cited, site)
    return sites


def citing_live(ws: Workspace, entries: list[LedgerEntry], doc_id: str, today: date) -> list[tuple[str, str, State, Site]]:
    """(id, revision, state, where it cites `doc_id` first) of every effective or approved document
    whose released text cites `doc_id`."""
    found = []
    for doc in ws.documents.values():
        live = live_revision(entries, doc.id, today) if doc.id != doc_id else None
        site = first_sites(revision_sources(ws, doc, live[0])).get(doc_id) if live else None
        if live and site:
            found.append((doc.id, *live, site))
    return found


def stale_citations(ws: Workspace, entries: list[LedgerEntry], today: date) -> list[InputProblem]:
    """One warning per citation of a draft or a withdrawn document by an effective or approved one.

    Each is placed where the citing revision cites the document first (its body file and line, or
    the field of its validation block; an archived revision's own sources); the message names the
    citing document, its revision and state, the cited document and why the citation is stale,
    and what to do.
    """
    withdrawn = {e.document: e for e in ledger_queries.withdrawals(entries)}
    released = {e.document for e in ledger_queries.releases(entries)}
    for later in ledger_queries.releases(entries):  # released again after a withdrawal: current again
        if later.document in withdrawn and later.seq > withdrawn[later.document].seq:
            del withdrawn[later.document]
    warnings = []
    for doc in ws.documents.values():
        live = live_revision(entries, doc.id, today)
        if live is None:
            continue
        revision, state = live
        sites = first_sites(revision_sources(ws, doc, revision))
        for cited in sorted(set(sites) - {doc.id}):
            who, where = f"{doc.id} revision {revision} ({state})", sites[cited][:3]
            if cited in withdrawn and entry_date(withdrawn[cited]) <= today:
                warnings.append(InputProblem(*where, f"{who} cites {cited}, which was withdrawn (作废) on "
                                                     f"{entry_date(withdrawn[cited])}: revise {doc.id} to remove or replace the citation"))
            elif cited in ws.documents and cited not in released:
                warnings.append(InputProblem(*where, f"{who} cites {cited}, which is a draft (never released): release {cited} "
                                                     f"or revise {doc.id}"))
    return warnings
