"""Finding what a report is judged against: the protocol revision it names, in the workspace or the archive.

A report names `protocol` and `protocol_revision`. When that is the protocol's working revision,
its YAML in content/ is read (a released revision cannot differ from its archive: `check` refuses
edits); an earlier revision is read from the release archive, `releases/ID/REV/ID.yaml` (the
layout of `dossier.control.archive`, `/` in a revision stored as `-`). So a released report is
always judged against the protocol it was executed under, however the protocol moved on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dossier.errors import Problems
from dossier.validation.criteria import Criterion, criteria_of
from dossier.validation.report import REPORT_FIELDS, ReportEvaluation, evaluate_report, protocol_reference
from dossier.validation.results import csv_names
from dossier.workspace.fields import FieldReader
from dossier.workspace.model import Document, Workspace
from dossier.workspace.yamlsrc import SourceMap, load_yaml

PROTOCOL_KIND = "validation_protocol"


@dataclass(frozen=True)
class ProtocolSource:
    """The protocol revision a report was executed under."""

    id: str
    revision: str
    title: str
    criteria: list[Criterion]
    shown: str  # the file it was read from, as shown in messages


def archived_yaml(ws: Workspace, doc_id: str, revision: str) -> Path:
    """Where the release archive keeps the YAML of `doc_id` revision `revision`."""
    return ws.root / ws.config.releases_dir / doc_id / revision.replace("/", "-") / f"{doc_id}.yaml"


def protocol_source(ws: Workspace, doc_id: str, revision: str) -> ProtocolSource | str:
    """The protocol revision `revision` of `doc_id`, or why it cannot be read (one sentence)."""
    doc = ws.documents.get(doc_id)
    if doc is not None and doc.kind != PROTOCOL_KIND:
        return f"{doc_id} is a {doc.kind_label}, not a validation protocol (验证方案)"
    if doc is not None and doc.revision == revision:
        return ProtocolSource(doc_id, revision, doc.title, criteria_of(doc.validation), doc.source_display)
    path = archived_yaml(ws, doc_id, revision)
    if "/" in doc_id or doc_id in ("", ".", "..") or not path.is_file():
        if doc is None:
            return f"{doc_id} is no document of {ws.config.content_dir}/ and has no archived revision {revision}"
        return f"{doc_id} has no revision {revision}: its working revision is {doc.revision} and no release {revision} is archived"
    shown = path.relative_to(ws.root).as_posix()
    data = load_yaml(path, Problems(), shown)
    if not isinstance(data, SourceMap):
        return f"the archived {shown} cannot be read"
    title = data.get("title")
    return ProtocolSource(doc_id, revision, str(title or doc_id), criteria_of(data.get("validation")), shown)


def report_evaluation(ws: Workspace, doc: Document, problems: Problems | None = None) -> ReportEvaluation | None:
    """A report document judged against its protocol; None when the protocol cannot be found.

    Problems of the report (and the reason a protocol cannot be found) go to `problems` when
    given; rendering and status pass none (check has reported them).
    """
    problems = problems if problems is not None else Problems()
    reader = FieldReader(doc.raw, problems)
    block = reader.child("report")
    if block is None:
        if doc.raw.get("report") is None:
            reader.fail("report", "a validation report names its protocol (report.protocol, report.protocol_revision) and carries its results")
        return None
    ident = block.text("protocol", required=True)
    revision = block.text("protocol_revision", required=True)
    if not ident or not revision:
        return None
    source = protocol_source(ws, ident, revision)
    if isinstance(source, str):
        target = ws.documents.get(ident)
        block.fail("protocol" if target is None or target.kind != PROTOCOL_KIND else "protocol_revision", source)
        return None
    block.unknown(REPORT_FIELDS)
    folder_shown = Path(doc.source_display).parent.as_posix()
    return evaluate_report(block, source.criteria, doc.source.parent, "" if folder_shown == "." else folder_shown,
                           source.id, source.revision)


def report_inputs(ws: Workspace, doc: Document) -> list[tuple[str, bytes]]:
    """What a report is rendered from besides its own YAML and body: (label, content) pairs.

    Its CSV files, and the protocol revision it names (title and criteria, however stored), so a
    changed measurement or a protocol edited under the same revision makes the report stale.
    """
    block = doc.raw.get("report")
    if not isinstance(block, SourceMap):
        return []
    found = []
    folder = doc.source.parent
    for name in csv_names(block):
        path = folder / name
        if path.is_file():
            found.append((f"{Path(doc.source_display).parent.as_posix()}/{name}", path.read_bytes()))
    ident, revision = protocol_reference(block)
    source = protocol_source(ws, ident, revision) if ident and revision else None
    if isinstance(source, ProtocolSource):
        criteria = [{k: v for k, v in c.__dict__.items() if k != "line"} for c in source.criteria]
        material = {"title": source.title, "criteria": criteria}
        found.append((f"protocol:{ident}@{revision}", json.dumps(material, sort_keys=True, ensure_ascii=False, default=repr).encode()))
    return found
