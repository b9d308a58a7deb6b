"""Warnings about how a document will look: text the renderer prints literally, numbers typed
twice, a title longer than the page header shows.

These do not stop a build (`Problems.warn`; `check` and `build` print them as
`warning: FILE:LINE: FIELD: message`):

- a `**` or `*` left in the text after Markdown parsing (an emphasis that did not close) prints
  as an asterisk;
- a heading that starts with a section number (`## 1.1 条款1`) is numbered again by the
  automatic numbering ("1.1 1.1 条款1" in the body and the table of contents) unless the
  workspace or document sets `numbering_style: none`;
- a heading with no words (`#` alone) prints as a section without a title, numbered like the
  others ("2 " in the body, the table of contents and a change summary);
- a caption (an image's alt text, a table's `Table: …`) that starts with its number (`图1 …`) is
  numbered again by the renderer ("图1 图1 …");
- a title longer than the page header's title cell shows on its two lines makes the header
  taller on every page (`dossier.word.headerfit`).
"""

from __future__ import annotations

from dossier.errors import Problems
from dossier.markdown import display_width
from dossier.markdown.lint import typed_number
from dossier.validate.memo import LintMemo, memo_for
from dossier.word.headerfit import header_room
from dossier.word.templates import template_path
from dossier.workspace.model import Document, Workspace
from dossier.workspace.yamlsrc import SourceMap


def _leftovers(memo: LintMemo, doc: Document, problems: Problems) -> None:
    texts: list[tuple[str, int, str, str]] = [(doc.body, doc.body_line_offset, doc.body_source, "body")]
    if isinstance(doc.validation, SourceMap):
        for key, value in doc.validation.items():
            if isinstance(value, str):
                texts.append((value, doc.validation.line_of(key), doc.source_display, f"validation.{key}"))
    for text, offset, source, field in texts:
        for line, snippet in memo.leftovers(text):
            problems.warn(source, offset + line + 1, field,
                          f"“{snippet.strip()}”: this * is printed as an asterisk (an emphasis that does not close); "
                          "close it, or write \\* for a literal asterisk")


def _typed_numbers(ws: Workspace, memo: LintMemo, doc: Document, problems: Problems) -> None:
    style = doc.heading_numbers(ws.config)
    if style == "none":
        return
    for line, _level, text in memo.headings(doc.body):
        number = typed_number(text)
        if number:
            problems.warn(doc.body_source, doc.body_line_offset + line + 1, "body",
                          f"heading “{text}” starts with a section number ({number}) and headings are numbered "
                          f"automatically (numbering_style: {style}), so it would show two numbers; remove the typed "
                          "number or set numbering_style: none")


def _empty_headings(memo: LintMemo, doc: Document, problems: Problems) -> None:
    for line, level, text in memo.headings(doc.body):
        if not text.strip():
            problems.warn(doc.body_source, doc.body_line_offset + line + 1, "body",
                          f"a level-{level} heading has no words: it prints as a section without a title; "
                          "write its title after the #, or remove the line")


def _typed_captions(memo: LintMemo, doc: Document, problems: Problems) -> None:
    for line, text, number in memo.captions(doc.body):
        problems.warn(doc.body_source, doc.body_line_offset + line + 1, "body",
                      f"caption “{text}” starts with its number ({number}) and captions are numbered automatically "
                      "(图1、图2 …, 表1 …), so it would show two numbers; remove the typed number")


def _title_length(ws: Workspace, doc: Document, problems: Problems) -> None:
    if not doc.title or not doc.kind:
        return
    room = header_room(template_path(ws, doc.kind))
    length = (display_width(doc.title) + 1) // 2
    if room is not None and length > room.characters:
        line = doc.raw.line_of("title") if isinstance(doc.raw, SourceMap) else None
        problems.warn(doc.source_display, line, "title",
                      f"{length} characters; the page header shows at most {room.characters} "
                      f"({room.lines} lines of {room.per_line}) and grows taller on every page for a longer title")


def check_layout(ws: Workspace, doc: Document, problems: Problems) -> None:
    """The layout warnings of one document (see the module docstring); body queries answered by `memo_for(ws)`."""
    memo = memo_for(ws)
    _leftovers(memo, doc, problems)
    _typed_numbers(ws, memo, doc, problems)
    _empty_headings(memo, doc, problems)
    _typed_captions(memo, doc, problems)
    _title_length(ws, doc, problems)
