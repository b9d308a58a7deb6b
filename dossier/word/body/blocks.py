"""The blocks (paragraphs and tables) at the end of a body, as the renderer appends them."""

from __future__ import annotations

from docx.oxml.ns import qn

_SECT_PR = qn("w:sectPr")


def last_blocks(body, count: int) -> list:
    """The last `count` (or fewer) paragraph and table elements of a `w:body`, last first.

    Asked for every paragraph and table the renderer writes, so it looks at the end of the
    body only and never walks all of it (which made rendering quadratic in document length).
    """
    found: list = []
    for child in reversed(body):
        if child.tag != _SECT_PR:
            found.append(child)
            if len(found) == count:
                break
    return found
