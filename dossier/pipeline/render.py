"""Render step: one document + its template -> reproducible .docx bytes (docxtpl, autoescaped)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from jinja2 import TemplateError

from dossier.control.controls import Controls
from dossier.control.lifecycle import HistoryRow
from dossier.errors import Problems
from dossier.fonts import default_fonts, word_name
from dossier.pipeline.directives import directive_hooks, expansions
from dossier.pipeline.sections import SECTIONS
from dossier.word.body import render_markdown
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties, Fonts
from dossier.word.recordform import fill_form, is_wide, text_width_cm
from dossier.word.sections import section_break, tidy_breaks
from dossier.word.templates import template_display, template_path
from dossier.word.templating import Template, upright_images
from dossier.word.toc import Heading, body_headings, fill_toc
from dossier.workspace.model import Document, Signoff, Workspace

EMPTY = "—"


@dataclass
class Rendered:
    """A rendered docx and the headings its table of contents lists (quality manual only)."""

    data: bytes
    headings: list[Heading]


def document_fonts(ws: Workspace, kind: str) -> Fonts:
    """The faces a document of `kind` is set in; the roles the workspace chose override its template."""
    chosen = ws.config.font_choices(kind)
    return Fonts(default_fonts().merged({role: word_name(face) for role, face in chosen.items()}), frozenset(chosen))


def document_timestamp(effective: date | None) -> datetime:
    """Fixed timestamp for file metadata: SOURCE_DATE_EPOCH, else the effective date, else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    day = effective or date(2000, 1, 1)
    return datetime(day.year, day.month, day.day)


def _signoff(person: Signoff | None) -> dict[str, str]:
    if person is None:
        return {"name": "", "date": ""}
    return {"name": person.name, "date": person.date.isoformat() if person.date else ""}


def _history_row(row: HistoryRow) -> dict[str, str]:
    return {
        "revision": row.revision,
        "effective": row.effective_date or EMPTY,
        "change": row.change or EMPTY,
        "reason": row.reason or ("（待发布）" if not row.released else EMPTY),
        "prepared": row.prepared_by or "",
        "approved": row.approved_by or "",
    }


def _form_layout(doc: Document) -> dict:
    return doc.form if isinstance(doc.form, dict) else {}


def _landscape(tpl: Template, doc: Document) -> bool:
    """True for a record form whose grid needs a landscape page (title, grid and note go on it)."""
    if "form" not in doc.kind_info.blocks:
        return False
    columns = [str(x) for x in _form_layout(doc).get("columns") or []]
    return is_wide(columns, text_width_cm(tpl.new_subdoc(), landscape=False))


def _body(tpl: Template, ws: Workspace, doc: Document, controls: Controls, problems: Problems, landscape: bool):
    """The body subdoc: the sections the kind's blocks generate (a protocol's Art. 76 elements, a report's
    evaluation, a plan's objects) first, numbered on into the body, then the Markdown (its `{coverage}`
    blocks replaced by the generated article table).

    With `landscape` the body ends the landscape section that began with the document.
    """
    body = tpl.new_subdoc()
    cite = controls.citations.__getitem__
    numbering = doc.heading_numbers(ws.config)
    for block in doc.kind_info.fields:
        generated = SECTIONS[block](ws, doc) if block in SECTIONS else None
        if generated is not None:
            render_markdown(generated[0], body, resolve_citation=cite, image_dir=doc.source.parent,
                            source=doc.source_display, problems=problems, line_offset=generated[1],
                            numbering=numbering, landscape=landscape)
    render_markdown(doc.body, body, resolve_citation=cite, image_dir=doc.source.parent, source=doc.body_source,
                    problems=problems, line_offset=doc.body_line_offset, numbering=numbering, landscape=landscape,
                    directives=directive_hooks(expansions(ws, doc)))
    if landscape:
        section_break(body, landscape=True)
    return body


def _context(ws: Workspace, doc: Document, controls: Controls, fonts: Fonts, body) -> dict:
    """What the template's Jinja fields read."""
    return {
        "fonts": {"body": fonts.faces.body, "heading": fonts.faces.heading},
        "company": {"name": ws.config.company_name, "address": ws.config.company_address},
        "doc": {
            "title": doc.title,
            "number": doc.number,
            "revision": doc.revision,
            "effective": controls.effective.isoformat() if controls.effective else EMPTY,
            "department": doc.department or EMPTY,
            "kind_label": doc.kind_label,
            "control_mark": controls.mark,
            "watermark": controls.watermark,
        },
        "prepared": _signoff(controls.prepared),
        "reviewed": _signoff(controls.reviewed),
        "approved": _signoff(controls.approved),
        "history": [_history_row(row) for row in controls.history],
        "body": body,
    }


def _toc_block(tpl: Template, doc: Document, context: dict, toc_pages: list[int] | None,
               landscape: bool = False) -> list[Heading]:
    headings = body_headings(context["body"])
    toc = tpl.new_subdoc()
    fill_toc(toc, headings, toc_pages)
    context["toc"] = toc
    return headings


def _form_block(tpl: Template, doc: Document, context: dict, toc_pages: list[int] | None,
                landscape: bool = False) -> list[Heading]:
    form = tpl.new_subdoc()
    layout = _form_layout(doc)
    fill_form(form, [str(x) for x in layout.get("header_fields") or []], [str(x) for x in layout.get("columns") or []],
              int(layout.get("rows") or 1), [str(x) for x in layout.get("footer_fields") or []], landscape)
    context["form"] = form
    return []


# the extra blocks of a kind's template (DocumentKind.blocks): each fills its field and returns the TOC headings
BLOCKS: dict[str, Callable[[Template, Document, dict, list[int] | None, bool], list[Heading]]] = {
    "toc": _toc_block,
    "form": _form_block,
}


def render_document(
    ws: Workspace,
    doc: Document,
    problems: Problems,
    controls: Controls,
    toc_pages: list[int] | None = None,
) -> Rendered:
    """Render one document to docx bytes; Markdown problems (unknown citation, missing image) are recorded.

    Steps: open the kind's template, render the body, fill the template's fields and its kind's
    blocks, render the template, finish the package (core properties, fonts). `toc_pages` are the
    page numbers of the headings from a first conversion (quality manual). A wide record form is
    set on landscape pages up to the end of its note; no page break is left next to a section
    break (it would make an empty page).
    """
    path = template_path(ws, doc.kind)
    tpl = Template(str(path))
    upright_images(tpl.get_docx())
    fonts = document_fonts(ws, doc.kind)
    landscape = _landscape(tpl, doc)
    context = _context(ws, doc, controls, fonts, _body(tpl, ws, doc, controls, problems, landscape))
    headings: list[Heading] = []
    for block in doc.kind_info.blocks:
        headings += BLOCKS[block](tpl, doc, context, toc_pages, landscape)
    try:
        tpl.render_autoescaped(context)
    except TemplateError as exc:  # the sandbox refused something check could not see, or a field of nothing
        problems.add(template_display(ws, path), None, "template", f"cannot render {doc.id}: {exc}")
        return Rendered(b"", [])
    tidy_breaks(tpl.docx.element.body)
    props = CoreProperties(title=doc.title, subject=f"{doc.number} {doc.revision}",
                           creator=doc.prepared_by.name if doc.prepared_by else ws.config.company_name,
                           keywords=doc.kind_label, when=document_timestamp(controls.effective))
    return Rendered(docx_bytes(tpl.docx, props, fonts), headings)
