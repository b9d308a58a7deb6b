"""Redline: the newer rendering of a document with every change since the older one as a native
Word tracked change (`w:ins`/`w:del`, `w:rPrChange`/`w:pPrChange`, `w:trPr/w:ins|w:del` rows).

Scope: only the content produced from the YAML and Markdown is compared (record-form grid and
body, between the template's first `{{p form}}`/`{{p body}}` placeholder and the end of the body).
The frame around it (title block, approval block, revision history, table of contents, headers
and footers) is taken from the newer revision unmarked: its changes are the revision itself and
are listed in the revision history. When the older rendering does not fit the template (the
template changed between the revisions), the whole document body is compared instead
(`Redline.scope == "document"`).

Method: blocks (paragraphs, tables) are aligned with difflib over their texts; blocks in a
changed stretch are paired by similarity (monotonic, best total similarity), the rest are added
or removed. Paired paragraphs are compared by tokens (one token per CJK character or punctuation
mark, one per Latin word or number), so a one-character edit is a one-character change; tiny
common fragments between two edits are folded into the edit so changes read as phrases. Tables
are compared row by row (rows aligned and paired the same way) and paired rows cell by cell.
Equal text whose character formatting changed gets `w:rPrChange`; a paragraph whose properties
(style, numbering level, alignment, indents) changed gets `w:pPrChange`. Table, row and cell
properties (column widths follow the content) are the newer revision's. A moved paragraph is a
deletion at its old place and an insertion at its new one (every consumer shows that the same
way) and is reported as moved.

Accepting all changes yields the newer revision's text and rejecting all the older one's. A
paragraph added or removed at the end of a table cell or of the document carries its paragraph
mark on the paragraph before it, as Word does, because a container's last mark cannot change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.redline.changes import BlockChange, Redline, moves
from dossier.redline.markup import Writer
from dossier.redline.read import Side
from dossier.redline.remap import remap
from dossier.redline.scope import content_span, template_body
from dossier.redline.tags import SECTPR
from dossier.redline.tokens import split_tokens
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties

__all__ = ["BlockChange", "Redline", "redline", "split_tokens"]


def redline(old_docx: bytes, new_docx: bytes, author: str, when: date | None, template: Path | None = None) -> Redline:
    """Compare two renderings of one document; the newer one with tracked changes.

    `author` and `when` label every change (w:author, w:date; no date attribute when None).
    `template` is the document kind's template, which locates the compared content; without it,
    or when a rendering does not follow it, the whole body is compared.
    """
    old, new = Side(old_docx), Side(new_docx)
    layout = template_body(template) if template is not None else []
    spans = (content_span(old, layout), content_span(new, layout)) if layout else (None, None)
    new_body = new.document.element.body
    new_children = list(new_body)
    old_children = list(old.document.element.body)
    if spans[0] is not None and spans[1] is not None:
        scope = "content"
        (old_start, old_end), (new_start, new_end) = spans
    else:
        scope = "document"
        old_start, old_end = 0, len([c for c in old_children if c.tag != SECTPR])
        new_start, new_end = 0, len([c for c in new_children if c.tag != SECTPR])
    at_end = all(c.tag == SECTPR for c in new_children[new_end:])
    writer = Writer(old, new, author, when)
    merged = writer.blocks(old_children[old_start:old_end], new_children[new_start:new_end], record=True, at_end=at_end)
    remap(old, new, writer.from_old, writer.num_map)
    anchor = new_children[new_start - 1] if new_start else None
    for child in new_children[new_start:new_end]:
        new_body.remove(child)
    for offset, element in enumerate(merged):
        if anchor is None:
            new_body.insert(offset, element)
        else:
            anchor.addnext(element)
            anchor = element
    core = new.document.core_properties
    props = CoreProperties(title=core.title, subject=core.subject, creator=core.author, keywords=core.keywords,
                           when=core.created or CoreProperties.when)
    return Redline(docx_bytes(new.document, props, lean=False), moves(writer.changes), scope)
