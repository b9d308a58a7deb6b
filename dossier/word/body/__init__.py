"""Markdown body -> Word content: python-docx paragraphs, tables and pictures in a document or subdoc.

Headings take the template's "Heading N" styles with section numbers written into the text in
the chosen style (`auto` 1, 1.1, 1.1.1; `chapter` 第一章, 第一节, 一、; `none`); lists get real
Word numbering (a numbering definition per list, so every list restarts); GFM tables become
bordered tables as wide as the text, columns sized by their content, the header row repeated on
every page, rows kept on one page where they are known to fit, a caption above (`Table: 标题`
next to the table gives 表N 标题), and a landscape section of their own when too wide for
portrait; images are turned upright, scaled to fit the body area (width and height) and
captioned below with their alt text (图N 标题, kept on the picture's page); `[[DOC-ID]]` cites
another document; footnotes (`[^1]` / `[^1]: note`) become real Word footnotes printed at the
foot of the page. Raw HTML and character references stay literal text. Runs never name an East
Asian font, so Chinese text follows the styles (inline code only sets a Latin monospace face).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dossier.errors import Problems
from dossier.markdown import normalised, syntax_tree
from dossier.word.body.renderer import Context, Renderer
from dossier.workspace.yamlsrc import illegal_xml_chars, strip_illegal_xml


def render_markdown(md: str, target, *, resolve_citation: Callable[[str], str], image_dir: Path, source: str,
                    problems: Problems, heading_offset: int = 0, numbering: str = "auto",
                    line_offset: int = 0, landscape: bool = False,
                    directives: dict[str, Callable[[str], str]] | None = None) -> None:
    """Append the Markdown body as Word paragraphs/tables/images to `target`.

    `target` is a python-docx Document or a docxtpl Subdoc (styles, numbering and images go to the
    template it belongs to). Heading levels are shifted by `heading_offset`; section numbers
    (`numbering`: auto, chapter or none) continue after headings already in `target`, and so do
    figure and table numbers. `landscape` says the target sits in a landscape section (its wide
    tables need no section of their own). `directives` maps a fenced block's info string to the
    Markdown the build generates in its place (`{coverage}`). Problems (unknown citation, missing
    image, characters XML cannot hold) are recorded against `source` at line
    `line_offset` + the Markdown line, so pass the number of source lines before the body.
    """
    text = _checked_text(md, source, problems, line_offset)
    tree = syntax_tree(text)
    renderer = Renderer(target, resolve_citation=resolve_citation, image_dir=image_dir, source=source,
                         problems=problems, heading_offset=heading_offset, numbering=numbering,
                         line_offset=line_offset, landscape=landscape, directives=directives or {})
    renderer.blocks(tree.children, Context())
    renderer.finish()

def _checked_text(md: str, source: str, problems: Problems, line_offset: int) -> str:
    """The normalised Markdown; characters XML cannot hold are reported and removed."""
    text = normalised(md)
    for line, char in illegal_xml_chars(text):
        problems.add(source, line_offset + line, "body",
                     f"character {char} cannot appear in a document (XML forbids it)")
    return strip_illegal_xml(text)
