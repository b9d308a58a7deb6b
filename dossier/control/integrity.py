"""A released revision never changes: its own sources must still be what its release recorded.

Own sources are the document's YAML fields, its body, the images it embeds and the documents it
cites. The workspace's configuration (company, fonts) and templates are not: a change to them
applies at each document's next revision, and released revisions are delivered from the archive
meanwhile (device GMP 2025 Art. 43: changes to a document go through a new revision that is
reviewed and approved; Art. 46(2): records stay as approved).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from dossier.control.archive import release_dir
from dossier.control.controls import citation_texts
from dossier.control.digest import CONFIGURATION, NOT_CONTENT, input_hashes, inputs_digest
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.errors import Problems
from dossier.workspace.model import Document, Workspace
from dossier.workspace.revisions import scheme


@dataclass
class Drift:
    """How a document's working revision differs from its release.

    `own`: what changed among its own sources, each named (`YAML field title`, `body
    content/QP-04.md`, `image content/images/a.png`, `cited document QP-05`): an edit that needs
    a new revision. `configuration`: which workspace settings changed since the release
    (`company`, `fonts`, `template`): they apply at the next revision. `unknown`: the release
    predates per-input records and its digest differs for a reason that cannot be named.
    """

    own: list[str] = field(default_factory=list)
    configuration: list[str] = field(default_factory=list)
    unknown: bool = False


def drift(ws: Workspace, doc: Document, release: LedgerEntry, entries: list[LedgerEntry]) -> Drift:
    """How `doc`'s sources differ from `release` (the release entry of its working revision)."""
    found = Drift()
    if release.inputs_sha256 == inputs_digest(ws, doc):
        return found
    upto = [e for e in entries if e.seq < release.seq]
    now = input_hashes(ws, doc, citation_texts(ws, doc, upto, controlled=True))  # as the release rendered them
    recorded = release.inputs
    if recorded:
        found.configuration = [name for name in CONFIGURATION if recorded.get(name) != now.get(name)]
        changed = sorted((name for name in {*recorded, *now} - set(CONFIGURATION) if recorded.get(name) != now.get(name)),
                         key=lambda name: (name != doc.source_display, name != doc.body_source, name.startswith("cites "), name))
        found.own = [_describe(ws, doc, release, name) for name in changed]
        return found
    found.own = _against_archive(ws, doc, release)
    found.unknown = not found.own
    return found


def configuration_drift(ws: Workspace, doc: Document, release: LedgerEntry) -> list[str]:
    """Which workspace settings (`company`, `fonts`, `template`) changed since `release` of `doc`.

    Empty for a release recorded without per-input hashes (nothing to compare with).
    """
    recorded = release.inputs or {}
    if not recorded:
        return []
    now = input_hashes(ws, doc, {})
    return [name for name in CONFIGURATION if name in recorded and recorded.get(name) != now.get(name)]


def _describe(ws: Workspace, doc: Document, release: LedgerEntry, name: str) -> str:
    if name.startswith("cites "):
        return f"cited document {name.removeprefix('cites ')}"
    if name == doc.source_display:
        fields = _changed_fields(ws, doc, release)
        return f"YAML field{'s' if len(fields) > 1 else ''} {', '.join(fields)}" if fields else f"YAML {name}"
    if name == doc.body_source and name != doc.source_display:
        return f"body {name}"
    if name.startswith("protocol:"):
        return f"protocol {name.removeprefix('protocol:').replace('@', ' revision ')}"
    if name.endswith(".csv"):
        return f"results {name}"
    return f"image {name}"


def _archived(ws: Workspace, doc: Document, release: LedgerEntry, suffix: str) -> bytes | None:
    path = release_dir(ws.root, doc.id, release.revision, ws.config.releases_dir) / f"{doc.id}.{suffix}"
    try:
        return path.read_bytes()
    except OSError:
        return None


def _changed_fields(ws: Workspace, doc: Document, release: LedgerEntry) -> list[str]:
    """Top-level YAML fields whose value differs from the archived YAML (body included when inline)."""
    data = _archived(ws, doc, release, "yaml")
    try:
        archived = yaml.safe_load(data) if data is not None else None
    except yaml.YAMLError:
        archived = None
    if not isinstance(archived, dict):
        return []
    current = {k: v for k, v in doc.raw.items() if k not in NOT_CONTENT}
    archived = {k: v for k, v in archived.items() if k not in NOT_CONTENT}
    return sorted(str(k) for k in {*current, *archived} if _plain(current.get(k)) != _plain(archived.get(k)))


def _plain(value: object) -> object:
    """A YAML value with dates as text, so a loaded SourceMap and a plain load compare equal."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _against_archive(ws: Workspace, doc: Document, release: LedgerEntry) -> list[str]:
    """For a release without per-input hashes: the YAML fields and body compared with the archived sources."""
    own = []
    fields = _changed_fields(ws, doc, release)
    if fields:
        own.append(f"YAML field{'s' if len(fields) > 1 else ''} {', '.join(fields)}")
    body = ws.root / doc.body_source
    if doc.body_source != doc.source_display and body.is_file():
        archived = _archived(ws, doc, release, "md")
        if archived is not None and archived != body.read_bytes():
            own.append(f"body {doc.body_source}")
    return own


def check_released_unchanged(ws: Workspace, entries: list[LedgerEntry], problems: Problems) -> None:
    """Record a problem for every document whose released working revision's own sources were edited.

    The message names what changed; configuration and template changes are not problems (see
    `drift`). Device GMP 2025 Art. 43: changes go through a new revision that is reviewed and approved.
    """
    revisions = scheme(ws.config.revision_scheme)
    for doc in ws.documents.values():
        release = ledger_queries.release_of(entries, doc.id, doc.revision)
        if release is None:
            continue
        found = drift(ws, doc, release, entries)
        if found.own:
            problems.add(doc.source_display, doc.raw.line_of("revision"), "revision",
                         f"{doc.id} changed since release {doc.revision} ({'; '.join(found.own)}); start revision "
                         f"{revisions.next(doc.revision)} (dossier revise {doc.id})")
