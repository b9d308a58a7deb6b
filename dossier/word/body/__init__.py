"""Markdown body -> Word content: python-docx paragraphs, tables and pictures in a document or subdoc.

Headings take the template's "Heading N" styles with section numbers (1, 1.1, 1.1.1) written into
the text; lists get real Word numbering (a numbering definition per list, so every list restarts);
GFM tables become bordered full-width tables whose rows stay on one page and whose header row
repeats on every page; images are scaled to the text width with a caption below; `[[DOC-ID]]`
cites another document; footnotes (`[^1]` / `[^1]: note`) become superscript numbers with the
notes as a numbered list at the end.
Raw HTML and character references stay literal text. Runs never name an East Asian font, so
Chinese text follows the styles (inline code only sets a Latin monospace face).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from dossier.errors import Problems
from dossier.markdown import normalised, syntax_tree
from dossier.word.body.renderer import Context, Renderer
from dossier.workspace.yamlsrc import illegal_xml_chars, strip_illegal_xml


def render_markdown(md: str, target, *, resolve_citation: Callable[[str], str], image_dir: Path, source: str,
                    problems: Problems, heading_offset: int = 0, number_headings: bool = True,
                    line_offset: int = 0, directives: dict[str, Callable[[str], str]] | None = None) -> None:
    """Append the Markdown body as Word paragraphs/tables/images to `target`.

    `target` is a python-docx Document or a docxtpl Subdoc (styles, numbering and images go to the
    template it belongs to). Heading levels are shifted by `heading_offset`; section numbers
    continue after numbered headings already in `target`. Problems (unknown citation, missing
    image, characters XML cannot hold) are recorded against `source` at line
    `line_offset` + the Markdown line, so pass the number of source lines before the body.
    """
    text = _checked_text(md, source, problems, line_offset)
    tree = syntax_tree(text)
    renderer = Renderer(target, resolve_citation=resolve_citation, image_dir=image_dir, source=source,
                         problems=problems, heading_offset=heading_offset, number_headings=number_headings,
                         line_offset=line_offset, top_level=_top_heading_level(tree), directives=directives or {})
    renderer.blocks(tree.children, Context())

def _checked_text(md: str, source: str, problems: Problems, line_offset: int) -> str:
    """The normalised Markdown; characters XML cannot hold are reported and removed."""
    text = normalised(md)
    for line, char in illegal_xml_chars(text):
        problems.add(source, line_offset + line, "body",
                     f"character {char} cannot appear in a document (XML forbids it)")
    return strip_illegal_xml(text)

def _top_heading_level(tree: SyntaxTreeNode) -> int:
    levels = [int(node.tag[1:]) for node in tree.walk() if node.type == "heading"]
    return min(levels, default=1)
