"""Where the compared content sits: the body elements the template's placeholders produced."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from dossier.redline.read import Side
from dossier.redline.tags import PPR, P

_PLACEHOLDER = re.compile(r"\{\{p\s+(\w+)\s*\}\}")
_TOC = re.compile(r"toc \d", re.IGNORECASE)


def template_body(template: Path) -> list[Any]:
    """The body elements of a template package, in order."""
    with zipfile.ZipFile(template) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return list(root.find(qn("w:body")))


def _placeholder(node: Any) -> str | None:
    match = _PLACEHOLDER.search("".join(node.itertext())) if node.tag == P else None
    return match.group(1) if match else None


def _signature(node: Any) -> tuple[str, str]:
    style = node.find(f"{PPR}/{qn('w:pStyle')}") if node.tag == P else None
    return node.tag, style.get(qn("w:val")) if style is not None else ""


def content_span(side: Side, template: list[Any]) -> tuple[int, int] | None:
    """Where the YAML/Markdown content sits among the body elements, by the template's layout.

    None when the rendering does not follow the template. The table of contents, derived from the
    headings, is left out with the fixed elements that follow it.
    """
    body = list(side.document.element.body)
    marks = [i for i, node in enumerate(template) if _placeholder(node)]
    if not marks:
        return None
    first, last = marks[0], marks[-1]
    tail = len(template) - last - 1
    if len(body) < first + tail:
        return None
    start, end = first, len(body) - tail
    if [_signature(n) for n in body[:first]] != [_signature(n) for n in template[:first]] or \
            [_signature(n) for n in body[end:]] != [_signature(n) for n in template[last + 1:]]:
        return None
    if _placeholder(template[first]) == "toc":
        while start < end and body[start].tag == P and _TOC.fullmatch(side.style(body[start])):
            start += 1
        fixed = template[first + 1:marks[1]] if len(marks) > 1 else []
        if [_signature(n) for n in body[start:start + len(fixed)]] != [_signature(n) for n in fixed]:
            return None
        start += len(fixed)
    return start, end
