"""Rules for one document: numbering, revision, sign-offs, citations, images, distribution, kind blocks."""

from __future__ import annotations

import re

from dossier.errors import Problems
from dossier.images import ImageProblem, upright
from dossier.markdown import citations, is_relative_name
from dossier.markdown import images as markdown_images
from dossier.validate.blocks import BLOCK_RULES
from dossier.validate.layout import check_layout
from dossier.validate.limits import check_limits
from dossier.workspace.embedded import IMAGE_FORMATS, embedded_problem
from dossier.workspace.fields import FieldReader
from dossier.workspace.inputs import outside_message, resolve_inside
from dossier.workspace.kinds import KINDS
from dossier.workspace.model import Document, Workspace
from dossier.workspace.revisions import scheme
from dossier.workspace.yamlsrc import SourceMap


def unknown_citation(ws: Workspace, cited: str) -> str:
    """The message for a citation that names neither a document nor an external document."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-/]*", cited):
        return f"cites unknown document {cited}"
    return f"cites {cited}, which is neither a document nor a key of the external-document register ({ws.config.external_file})"


def _check_citations(ws: Workspace, doc: Document, problems: Problems) -> None:
    known = ws.documents.keys() | ws.unreadable | ws.externals.keys()
    for line, cited in citations(doc.body):
        if cited not in known:
            problems.add(doc.body_source, doc.body_line_offset + line + 1, "body", unknown_citation(ws, cited))
    if isinstance(doc.validation, SourceMap):
        for key, value in doc.validation.items():
            if isinstance(value, str):
                for line, cited in citations(value):
                    if cited not in known:
                        problems.add(doc.source_display, doc.validation.line_of(key) + line + 1, f"validation.{key}",
                                     unknown_citation(ws, cited))


def _check_signoffs(doc: Document, problems: Problems) -> None:
    reader = FieldReader(doc.raw, problems)
    if doc.prepared_by is None:
        reader.fail("prepared_by", "is required (the author: name and date)")
    order = [("prepared_by", doc.prepared_by), ("reviewed_by", doc.reviewed_by), ("approved_by", doc.approved_by)]
    previous = None
    for key, signoff in order:
        if signoff is None or signoff.date is None:
            continue
        if previous and signoff.date < previous[1]:
            reader.fail(key, f"date {signoff.date} is before {previous[0]} date {previous[1]}")
        previous = (key, signoff.date)
    if doc.effective_date and doc.approved_by and doc.approved_by.date and doc.effective_date < doc.approved_by.date:
        reader.fail("effective_date", f"{doc.effective_date} is before the approval date {doc.approved_by.date}")


def _check_images(ws: Workspace, doc: Document, problems: Problems) -> None:
    """Every image the body embeds lies in the content folder, exists and is a picture Word can hold
    (of the type its name says, within the pixel limit, readable with its EXIF orientation); images
    in code are text."""
    folder = ws.root / ws.config.content_dir
    for number, target in markdown_images(doc.body):
        where = (doc.body_source, doc.body_line_offset + number + 1, "body")
        if not is_relative_name(target):
            problems.add(*where, f"image {target or '(empty)'}: only files next to the document can be embedded "
                                 "(a relative path, not a URL or an absolute path)")
            continue
        path = resolve_inside(doc.source.parent, target, folder)
        if path is None:
            problems.add(*where, f"image {outside_message(target, ws.config.content_dir)}")
            continue
        if not path.is_file():
            problems.add(*where, f"image {target}: file not found")
            continue
        problem = embedded_problem(path, tuple(IMAGE_FORMATS))
        if problem:
            problems.add(*where, f"image {target}: {problem}")
            continue
        try:
            upright(path)
        except ImageProblem as exc:
            problems.add(*where, f"image {target}: {str(exc).split(': ', 1)[-1]}")


def _check_distribution(doc: Document, problems: Problems) -> None:
    """The planned distribution names each copy number once; a copy number recorded as issued
    again (`issued:`, the records of earlier versions) must have come back (`withdrawn:`) first."""
    seen: dict[int, dict] = {}
    for entry in doc.distribution:
        where = (doc.source_display, entry["line"])
        earlier = seen.get(entry["copy"])
        if earlier is not None:
            returned = earlier["withdrawn"]
            if entry["issued"] is None or earlier["issued"] is None:
                problems.add(*where, "distribution.copy", f"copy {entry['copy']} is already planned (line {earlier['line']})")
            elif returned is None or returned > entry["issued"]:
                problems.add(*where, "distribution.copy", f"copy {entry['copy']} is still out (line {earlier['line']}): "
                                                          "give that entry its withdrawn: date first")
        seen[entry["copy"]] = entry
        if entry["withdrawn"] and not entry["issued"]:
            problems.add(*where, "distribution.withdrawn", "a copy that was not issued (no issued: date) cannot come back")
        if entry["issued"] and entry["withdrawn"] and entry["withdrawn"] < entry["issued"]:
            problems.add(*where, "distribution.withdrawn", f"{entry['withdrawn']} is before the issue date {entry['issued']}")


def validate_document(ws: Workspace, doc: Document, problems: Problems) -> None:
    """All rules for one document."""
    reader = FieldReader(doc.raw, problems)
    kind = KINDS.get(doc.kind)  # an unknown kind is reported by the loader; its other fields are still checked
    pattern = ws.config.numbering.get(doc.kind)
    if kind and pattern and doc.id and not re.fullmatch(pattern, doc.id):
        reader.fail("id", f"{doc.id} does not follow the numbering of {kind.label} ({pattern})")
    revisions = scheme(ws.config.revision_scheme)
    if doc.revision and not revisions.is_valid(doc.revision):
        reader.fail("revision", f"{doc.revision!r} is not a revision of the {ws.config.revision_scheme} scheme ({revisions.describe()})")
    if doc.id and doc.source.stem != doc.id:
        reader.fail("id", f"{doc.id} differs from the file name {doc.source.name}; name the file {doc.id}.yaml")
    if kind is None:
        pass
    elif not doc.body.strip() and kind.body_required and not doc.body_unreadable:
        problems.add(doc.source_display, doc.raw.line, "body", f"no body: add `body:` or a sibling {doc.source.stem}.md")
    for block, (rule, misplaced) in BLOCK_RULES.items() if kind else ():
        if block in kind.fields:
            rule(ws, doc, problems)
        elif doc.raw.get(block) is not None:
            reader.fail(block, misplaced)
    _check_signoffs(doc, problems)
    _check_citations(ws, doc, problems)
    _check_images(ws, doc, problems)
    _check_distribution(doc, problems)
    check_limits(doc, problems)
    if kind is not None:
        check_layout(ws, doc, problems)
