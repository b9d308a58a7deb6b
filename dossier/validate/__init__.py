"""Validate step: the rules a workspace must meet before anything is rendered.

Covers document numbering, revision format, sign-off dates, citations between documents,
record-form layout and the elements a validation protocol must carry (device GMP Art. 76).
"""

from __future__ import annotations

import re

from dossier.errors import Problems
from dossier.workspace.fields import FieldReader
from dossier.markdown import citations, images as markdown_images, is_relative_name
from dossier.markdown.queries import cited_ids
from dossier.workspace.model import Document, Workspace
from dossier.workspace.revisions import scheme
from dossier.workspace.yamlsrc import SourceMap

# device GMP Art. 76: 验证或者确认对象、部门和人员职责、实施环境、方法、取样要求、接收准则
ART76_ELEMENTS = {
    "object": "验证或者确认对象",
    "responsibilities": "部门和人员职责",
    "environment": "实施环境",
    "method": "方法",
    "sampling": "取样要求",
    "acceptance_criteria": "接收准则",
}
VALIDATION_FIELDS = set(ART76_ELEMENTS) | {"purpose"}
FORM_FIELDS = {"header_fields", "columns", "rows", "footer_fields"}
MAX_FORM_ROWS = 60


def _check_citations(ws: Workspace, doc: Document, problems: Problems) -> None:
    known = ws.documents.keys() | ws.unreadable
    for line, cited in citations(doc.body):
        if cited not in known:
            problems.add(doc.body_source, doc.body_line_offset + line + 1, "body", f"cites unknown document {cited}")
    if isinstance(doc.validation, SourceMap):
        for key, value in doc.validation.items():
            if isinstance(value, str):
                for line, cited in citations(value):
                    if cited not in known:
                        problems.add(doc.source_display, doc.validation.line_of(key) + line + 1, f"validation.{key}", f"cites unknown document {cited}")


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


def _check_form(doc: Document, problems: Problems) -> None:
    reader = FieldReader(doc.raw, problems)
    form = reader.child("form")
    if form is None:
        if doc.raw.get("form") is None:
            reader.fail("form", "a record form needs form.columns and form.rows (the blank table to fill in)")
        return
    form.unknown(FORM_FIELDS)
    form.text_list("columns", required=True)
    rows = form.integer("rows", required=True, minimum=1)
    if rows > MAX_FORM_ROWS:
        form.fail("rows", f"at most {MAX_FORM_ROWS} rows per form page set, got {rows}")
    form.text_list("header_fields")
    form.text_list("footer_fields")


def _check_validation(doc: Document, problems: Problems) -> None:
    reader = FieldReader(doc.raw, problems)
    block = reader.child("validation")
    if block is None:
        if doc.raw.get("validation") is None:
            missing = "、".join(ART76_ELEMENTS.values())
            reader.fail("validation", f"a validation protocol must state (device GMP Art. 76): {missing}")
        return
    block.unknown(VALIDATION_FIELDS)
    for key, label in ART76_ELEMENTS.items():
        value = block.get(key)
        if value is None or (isinstance(value, (str, list)) and not value):
            block.fail(key, f"missing {label} (device GMP Art. 76 requires it in every protocol)")
    for entry in block.mappings("responsibilities"):
        entry.unknown({"department", "person", "duties"})
        entry.text("department", required=True)
        entry.text("person")
        entry.text("duties", required=True)
    for key in ("object", "environment", "method", "sampling", "purpose"):
        block.text(key)
    if block.get("acceptance_criteria") is not None:
        block.text_list("acceptance_criteria", required=True)


TEMPLATE_FIELDS = {"company", "doc", "body", "prepared", "reviewed", "approved", "history"}
KIND_FIELDS = {"quality_manual": {"toc"}, "record_form": {"form"}}


def _check_images(doc: Document, problems: Problems) -> None:
    """Every image the body embeds exists and is a picture Word can hold (images in code are text)."""
    from docx.image.image import Image

    for number, target in markdown_images(doc.body):
        where = (doc.body_source, doc.body_line_offset + number + 1, "body")
        if not is_relative_name(target):
            problems.add(*where, f"image {target or '(empty)'}: only files next to the document can be embedded "
                                 "(a relative path, not a URL or an absolute path)")
            continue
        path = doc.source.parent / target
        if not path.is_file():
            problems.add(*where, f"image {target}: file not found")
            continue
        try:
            Image.from_file(str(path))
        except Exception as exc:  # python-docx raises many types for a truncated or foreign file
            problems.add(*where, f"image {target}: not a readable PNG/JPEG/GIF/BMP/TIFF image ({type(exc).__name__})")


def _check_distribution(doc: Document, problems: Problems) -> None:
    seen: dict[int, int] = {}
    for entry in doc.distribution:
        where = (doc.source_display, entry["line"])
        if entry["copy"] in seen:
            problems.add(*where, "distribution.copy", f"copy {entry['copy']} is already issued (line {seen[entry['copy']]})")
        seen.setdefault(entry["copy"], entry["line"])
        if entry["issued"] and entry["withdrawn"] and entry["withdrawn"] < entry["issued"]:
            problems.add(*where, "distribution.withdrawn", f"{entry['withdrawn']} is before the issue date {entry['issued']}")


def validate_templates(ws: Workspace, problems: Problems) -> None:
    """Each template in use opens, parses as a docxtpl template and has the fields documents need."""
    from jinja2 import TemplateSyntaxError
    from docxtpl import DocxTemplate

    from dossier.word.templates import template_path

    for kind in sorted({doc.kind for doc in ws.documents.values() if doc.kind}):
        path = template_path(ws, kind)
        shown = str(path.relative_to(ws.root)) if path.is_relative_to(ws.root) else f"default template {path.name}"
        try:
            declared = DocxTemplate(str(path)).get_undeclared_template_variables()
        except TemplateSyntaxError as exc:
            problems.add(shown, exc.lineno, "template", f"Jinja syntax error: {exc.message}")
            continue
        except Exception as exc:  # python-docx raises several types for a file that is no docx
            problems.add(shown, None, "template", f"not a readable .docx template ({type(exc).__name__})")
            continue
        missing = sorted((TEMPLATE_FIELDS | KIND_FIELDS.get(kind, set())) - declared)
        if missing:
            problems.add(shown, None, "template", f"lacks the fields {', '.join(missing)} every {kind} needs "
                         "(compare with the default template)")


def validate_document(ws: Workspace, doc: Document, problems: Problems) -> None:
    """All rules for one document."""
    reader = FieldReader(doc.raw, problems)
    pattern = ws.config.numbering.get(doc.kind)
    if pattern and doc.id and not re.fullmatch(pattern, doc.id):
        reader.fail("id", f"{doc.id} does not follow the numbering of {doc.kind_label} ({pattern})")
    revisions = scheme(ws.config.revision_scheme)
    if doc.revision and not revisions.is_valid(doc.revision):
        reader.fail("revision", f"{doc.revision!r} is not a revision of the {ws.config.revision_scheme} scheme ({revisions.describe()})")
    if doc.id and doc.source.stem != doc.id:
        reader.fail("id", f"{doc.id} differs from the file name {doc.source.name}; name the file {doc.id}.yaml")
    if not doc.body.strip() and doc.kind not in ("record_form",):
        problems.add(doc.source_display, doc.raw.line, "body", f"no body: add `body:` or a sibling {doc.source.stem}.md")
    if doc.kind != "record_form" and doc.raw.get("form") is not None:
        reader.fail("form", "only record forms (kind: record_form) have a form layout")
    if doc.kind != "validation_protocol" and doc.raw.get("validation") is not None:
        reader.fail("validation", "only validation protocols (kind: validation_protocol) have validation elements")
    if doc.kind == "record_form":
        _check_form(doc, problems)
    if doc.kind == "validation_protocol":
        _check_validation(doc, problems)
    _check_signoffs(doc, problems)
    _check_citations(ws, doc, problems)
    _check_images(doc, problems)
    _check_distribution(doc, problems)


def validate_workspace(ws: Workspace, problems: Problems) -> None:
    """Validate step for the whole workspace; problems are collected, not raised."""
    if not ws.documents and not problems:
        problems.add(f"{ws.config.content_dir}/", None, "", "no documents found (expected content/<ID>.yaml files)")
    for doc in ws.documents.values():
        if doc.kind:
            validate_document(ws, doc, problems)
    validate_templates(ws, problems)
    validate_fonts(ws, problems)
    validate_converters(ws, problems)


def validate_converters(ws: Workspace, problems: Problems) -> None:
    """Every `converter:` URL of dossier.yaml names a converter dossier can talk to."""
    from dossier.convert.remote import parse_endpoint
    from dossier.errors import UsageError

    raw = ws.config.raw if isinstance(ws.config.raw, SourceMap) else None
    for url in ws.config.converters:
        try:
            parse_endpoint(url)
        except UsageError as exc:
            problems.add(raw.path if raw is not None else "dossier.yaml", raw.line_of("converter") if raw is not None else None,
                         "converter", str(exc).removeprefix("error: "))


def validate_fonts(ws: Workspace, problems: Problems) -> None:
    """Every face named in `fonts:` can be drawn: known to the catalogue, or installed."""
    from dossier.fonts import font_problem

    block = ws.config.raw.get("fonts") if isinstance(ws.config.raw, dict) else None
    for scope, choices in ws.config.fonts.items():
        where = block.get(scope) if scope and isinstance(block, SourceMap) else block
        for role, face in choices.items():
            message = font_problem(face)
            if message and isinstance(where, SourceMap):
                problems.add(where.path, where.line_of(role), f"fonts.{scope + '.' if scope else ''}{role}", message)
