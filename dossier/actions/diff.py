"""Comparing two revisions of a document: gathering them, the redline and summary, its files.

A released revision comes from the release archive (`releases/ID/REV/`: `ID.docx` for the text,
`ID.yaml` for the fields), each file checked against the SHA-256 its ledger entry recorded, so
any two released revisions compare reproducibly. `working` is the working draft, rendered now
(docx only). Comparing two released revisions does not read the working files.

The redline itself is `dossier.redline`, the change summary `dossier.redline.summary`.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from dossier.control.archive import release_dir, revision_dirname, sha256_bytes
from dossier.control.controls import document_controls, ledger_of
from dossier.control.ledger import LedgerEntry
from dossier.control.ledger import queries as ledger_queries
from dossier.control.lifecycle import recorded_date
from dossier.convert import convert_batch
from dossier.errors import CheckFailed, Problems, UsageError
from dossier.pdf.normalise import normalise_pdf
from dossier.pipeline.documents import produce
from dossier.pipeline.load import load_checked
from dossier.pipeline.render import document_timestamp
from dossier.redline import redline
from dossier.redline.fields import NOT_FIELDS, field_changes
from dossier.redline.printable import printable
from dossier.redline.summary import Comparison, Revision, summary, summary_sentence
from dossier.util.atomic import write_bytes
from dossier.util.dates import parse_date
from dossier.word.templates import template_path
from dossier.workspace.kinds import KIND_LABELS
from dossier.workspace.load import load_workspace
from dossier.workspace.model import Workspace
from dossier.workspace.yamlsrc import load_yaml_text

WORKING = "working"


# -- the two revisions ----------------------------------------------------------------------------


def _archived_file(ws: Workspace, entry: LedgerEntry, name: str, required: bool) -> tuple[bytes | None, str]:
    """An archived file of a release, checked against its ledger entry."""
    path = release_dir(ws.root, entry.document, entry.revision, ws.config.releases_dir) / name
    rel = path.relative_to(ws.root).as_posix()
    recorded = entry.outputs.get(rel)
    if recorded is None:
        if required:
            raise CheckFailed([f"{rel}: not recorded in ledger entry {entry.seq} ({entry.describe()})"])
        return None, rel
    if not path.is_file():
        raise CheckFailed([f"{rel}: missing (recorded in ledger entry {entry.seq}); run `dossier verify`"])
    data = path.read_bytes()
    if sha256_bytes(data) != recorded:
        raise CheckFailed([f"{rel}: SHA-256 differs from ledger entry {entry.seq}; run `dossier verify`"])
    return data, rel


def _signoff(fields: Any, key: str) -> tuple[str | None, date | None]:
    person = fields.get(key) if isinstance(fields, dict) else None
    if not isinstance(person, dict):
        return None, None
    day = parse_date(str(person.get("date")))
    return (str(person["name"]) if person.get("name") else None), day


def _archived(ws: Workspace, entry: LedgerEntry) -> Revision:
    docx, rel = _archived_file(ws, entry, f"{entry.document}.docx", required=True)
    raw, yaml_rel = _archived_file(ws, entry, f"{entry.document}.yaml", required=False)
    fields = None
    if raw is not None:
        problems = Problems()
        fields = load_yaml_text(raw.decode("utf-8"), yaml_rel, problems)
        problems.raise_if_any()
    author, day = _signoff(fields, "prepared_by")
    return Revision(entry.revision, entry.revision, docx, fields, rel, author or entry.prepared_by,
                    day or recorded_date(entry, ws.config.zone))


def _working(ws: Workspace, doc_id: str, entries: list[LedgerEntry]) -> Revision:
    doc = ws.documents[doc_id]
    controls = {doc.id: document_controls(ws, doc, entries, ws.config.today())}
    data = produce(ws, [doc], controls, "docx")[doc.id]["docx"]
    author = doc.prepared_by.name if doc.prepared_by else None
    day = doc.prepared_by.date if doc.prepared_by else None
    return Revision(WORKING, doc.revision, data, doc.raw, "working draft", author, day or doc.effective_date)


def _never_released(option: str, doc_id: str, rev: str, entries: list) -> UsageError:
    """The error for a --from/--to revision that is not in the ledger."""
    return UsageError(f"error: {option} {rev}: {doc_id} revision {rev} was never released "
                      f"(released: {_released_list(entries)})")


def _released_list(entries: list[LedgerEntry]) -> str:
    return ", ".join(e.revision for e in entries) or "none"


def _sides(ws: Workspace, doc_id: str, from_rev: str | None, to_rev: str) -> tuple[Revision, Revision]:
    all_entries = ledger_of(ws).entries()
    entries = ledger_queries.releases(all_entries, doc_id)
    released = {e.revision: e for e in entries}
    doc = ws.documents.get(doc_id)
    if doc is None and not entries:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/ and never released")
    if to_rev == WORKING:
        if doc is None:
            raise UsageError(f"error: {doc_id}: no working draft in {ws.config.content_dir}/; give --to REV")
        newer_entry = released.get(doc.revision)
    elif to_rev in released:
        newer_entry = released[to_rev]
    else:
        raise _never_released("--to", doc_id, to_rev, entries)
    if from_rev is None:
        before = entries[:entries.index(newer_entry)] if newer_entry is not None else entries
        if not before:
            what = f"revision {newer_entry.revision}" if newer_entry is not None else "the working draft"
            raise UsageError(f"error: {doc_id}: no released revision before {what} to compare with")
        older_entry = before[-1]
    elif from_rev in released:
        older_entry = released[from_rev]
    else:
        raise _never_released("--from", doc_id, from_rev, entries)
    if older_entry is newer_entry:
        raise UsageError(f"error: --from {older_entry.revision} and --to are the same revision")
    newer = _archived(ws, newer_entry) if newer_entry is not None else _working(ws, doc_id, all_entries)
    return _archived(ws, older_entry), newer


# -- comparing ------------------------------------------------------------------------------------


def compare(root: Path, doc_id: str, from_rev: str | None = None, to_rev: str = WORKING,
            author: str | None = None) -> Comparison:
    """Compare two revisions of `doc_id` (default: the last release before `to_rev` with it).

    `to_rev` is a released revision or "working" (the working draft, also when named by its
    revision; its own release when the working revision is released). `author` overrides the
    newer revision's author on the changes.
    """
    ws = load_workspace(root, Problems())  # archived revisions do not depend on the working files
    doc = ws.documents.get(doc_id)
    if to_rev == WORKING or (doc is not None and to_rev == doc.revision and ledger_of(ws).released(doc_id, to_rev) is None):
        ws, to_rev = load_checked(root), WORKING
    return _compare(ws, doc_id, from_rev, to_rev, author)


def _compare(ws: Workspace, doc_id: str, from_rev: str | None, to_rev: str, author: str | None) -> Comparison:
    old, new = _sides(ws, doc_id, from_rev, to_rev)
    doc = ws.documents.get(doc_id)
    fields = new.fields if isinstance(new.fields, dict) else {}
    title = str(fields.get("title") or (doc.title if doc else doc_id))
    kind = str(fields.get("kind") or (doc.kind if doc else ""))
    template = template_path(ws, kind) if kind in KIND_LABELS else None
    name = author or new.author or "dossier"
    result = redline(old.docx, new.docx, name, new.day, template)
    changed = None
    if isinstance(old.fields, dict) and isinstance(new.fields, dict):
        changed = [c for c in field_changes(old.fields, new.fields) if c.field.split(".")[0].split("[")[0] not in NOT_FIELDS]
    return Comparison(doc_id, title, old, new, name, result, changed, ws.config.build_path)


def change_summary_text(root: Path, doc_id: str) -> str:
    """One-line Chinese summary of the working draft against the last release, for the history.

    "首次发布" when there is no earlier release to compare with.
    """
    ws = load_checked(root)
    doc = ws.documents.get(doc_id)
    if doc is None:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/")
    earlier = [e for e in ledger_queries.releases(ledger_of(ws).entries(), doc_id) if e.revision != doc.revision]
    if not earlier:
        return "首次发布"
    return summary_sentence(summary(_compare(ws, doc_id, None, WORKING, None)))


# -- output files ---------------------------------------------------------------------------------


def output_stem(comparison: Comparison) -> str:
    """`ID_FROM_TO` of the output files."""
    return "_".join([comparison.document, revision_dirname(comparison.old.label), revision_dirname(comparison.new.label)])


def write_redline(comparison: Comparison, out_dir: Path, pdf: bool = True) -> dict[str, Path]:
    """Write the redline docx (and its PDF) into `out_dir`; nothing is written if conversion fails.

    The PDF is converted from the printable copy (`dossier.redline.printable`): changes drawn as
    formatting, list numbers as in the document, change bars only beside changed paragraphs.
    """
    stem = output_stem(comparison)
    files = {"docx": comparison.redline.data}
    if pdf:
        with tempfile.TemporaryDirectory(prefix="dossier-diff-") as tmp:
            source = Path(tmp) / f"{stem}.docx"
            write_bytes(source, printable(files["docx"]))
            converted = convert_batch([source], Path(tmp) / "pdf")[source].read_bytes()
        stamp = document_timestamp(comparison.new.day)
        title = f"{comparison.title} {comparison.old.revision}→{comparison.new.revision} 修订对照"
        files["pdf"] = normalise_pdf(converted, stamp, title)
    written = {}
    for suffix, data in files.items():
        written[suffix] = out_dir / f"{stem}.{suffix}"
        write_bytes(written[suffix], data)
    return written
