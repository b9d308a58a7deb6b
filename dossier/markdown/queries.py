"""Queries on a document's texts: what it cites (in its body, the text fields of its validation elements
and the documents its validation blocks name: a report's protocol, a plan's protocols and the
documents its objects depend on), the document numbers its prose names, the spots left to fill in."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from dossier.markdown import citations, prose_lines
from dossier.markdown.spots import body_spots, yaml_spots
from dossier.workspace.external import outdated_message
from dossier.workspace.model import Document, Workspace


class Site(NamedTuple):
    """Where a document cites another: the file and line shown in messages, the field, the cited id."""

    path: str
    line: int | None
    field: str
    cited: str


def named_ids(doc: Document) -> set[str]:
    """Documents a validation report or plan names in its YAML: protocols, depends_on."""
    names: set[str] = set()
    report = doc.raw.get("report") if doc.kind == "validation_report" else None
    if isinstance(report, dict) and isinstance(report.get("protocol"), str):
        names.add(report["protocol"].strip())
    plan = doc.raw.get("plan") if doc.kind == "validation_plan" else None
    objects = plan.get("objects") if isinstance(plan, dict) else None
    for obj in objects if isinstance(objects, list) else []:
        if not isinstance(obj, dict):
            continue
        if isinstance(obj.get("protocol"), str):
            names.add(obj["protocol"].strip())
        depends = obj.get("depends_on")
        if isinstance(depends, list):
            names.update(name.strip() for name in depends if isinstance(name, str))
    return {name for name in names if name}


def _texts(doc: Document) -> list[str]:
    texts = [doc.body]
    if isinstance(doc.validation, dict):
        texts.extend(v for v in doc.validation.values() if isinstance(v, str))
    return texts


def cited_ids(doc: Document) -> set[str]:
    """Every document id or external key `doc` cites with [[…]] (body and validation fields), and the
    documents it names in its validation blocks."""
    return {cited for text in _texts(doc) for _, cited in citations(text)} | named_ids(doc)


def cited_externals(ws: Workspace, doc: Document) -> list[str]:
    """Keys of the external documents `doc` cites, sorted (a document id wins over an external key)."""
    return sorted(key for key in cited_ids(doc) if key in ws.externals and key not in ws.documents)


@dataclass(frozen=True)
class OpenSpot:
    """A spot the company must fill in or decide: where it is and what it asks."""

    path: str
    line: int
    text: str


def open_spots(doc: Document) -> list[OpenSpot]:
    """Every 【请根据本企业实际填写：…】 / 【请确认：…】 in the document's YAML values and Markdown body, in file order.

    `line` is where the spot starts; its words are shown as printed (see `dossier.markdown.spots`
    for what a spot may span and why spots in code and comments are not counted).
    """
    found: list[OpenSpot] = []
    body_in_yaml = doc.body_source == doc.source_display
    try:
        text = doc.source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    found.extend(OpenSpot(doc.source_display, line, words) for line, words in yaml_spots(text, "body" if body_in_yaml else None))
    found.extend(OpenSpot(doc.body_source or doc.source_display, doc.body_line_offset + line + 1, words)
                 for line, words in body_spots(doc.body))
    return sorted(found, key=lambda spot: (spot.path != doc.source_display, spot.line)) if body_in_yaml else found


@functools.lru_cache(maxsize=16)
def number_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding document numbers of any of the numbering `patterns` inside prose."""
    alternatives = "|".join(f"(?:{p})" for p in sorted(set(patterns), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_/\-])(?:{alternatives})(?![A-Za-z0-9_]|-[A-Za-z0-9])")


def plain_numbers(doc: Document, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(line as shown in messages, number) of every document number the body's prose names as plain text.

    Citations ([[ID]]), code spans and code blocks are not prose.
    """
    return [(doc.body_line_offset + line + 1, match.group())
            for line, text in prose_lines(doc.body) for match in pattern.finditer(text)]


def unknown_numbers(ws: Workspace, doc: Document) -> list[tuple[int, str]]:
    """(line, number) of plain-text document numbers in `doc` that name no document of the workspace."""
    patterns = tuple(sorted(p for p in ws.config.numbering.values() if p))
    if not patterns:
        return []
    known = ws.documents.keys() | ws.unreadable
    return [(line, number) for line, number in plain_numbers(doc, number_pattern(patterns)) if number not in known]


def outdated_references(ws: Workspace, doc: Document) -> list[str]:
    """One review message per external document `doc` cites that is superseded or withdrawn."""
    return [outdated_message(doc.id, ws.externals[key], ws.externals)
            for key in cited_externals(ws, doc) if ws.externals[key].status != "current"]


def _line(container: Any, key: Any) -> int | None:
    return container.line_of(key) if hasattr(container, "line_of") else None


def _named_sites(doc: Document) -> list[Site]:
    """The documents `named_ids` finds, each where its YAML names it."""
    sites, shown = [], doc.source_display
    report = doc.raw.get("report") if doc.kind == "validation_report" else None
    if isinstance(report, dict) and isinstance(report.get("protocol"), str) and report["protocol"].strip():
        sites.append(Site(shown, _line(report, "protocol"), "report.protocol", report["protocol"].strip()))
    plan = doc.raw.get("plan") if doc.kind == "validation_plan" else None
    objects = plan.get("objects") if isinstance(plan, dict) else None
    for index, obj in enumerate(objects if isinstance(objects, list) else [], 1):
        if not isinstance(obj, dict):
            continue
        field = f"plan.objects[{index}]"
        if isinstance(obj.get("protocol"), str) and obj["protocol"].strip():
            sites.append(Site(shown, _line(obj, "protocol"), f"{field}.protocol", obj["protocol"].strip()))
        depends = obj.get("depends_on")
        for number, name in enumerate(depends if isinstance(depends, list) else [], 1):
            if isinstance(name, str) and name.strip():
                sites.append(Site(shown, _line(depends, number - 1), f"{field}.depends_on[{number}]", name.strip()))
    return sites


def citation_sites(doc: Document) -> list[Site]:
    """Every place `doc` cites a document (the ids of `cited_ids`): [[ID]] in the body (its file
    and line) and in the text fields of its validation block, and the documents its validation
    blocks name; body first, in line order."""
    sites = [Site(doc.body_source, doc.body_line_offset + line + 1, "body", cited) for line, cited in citations(doc.body)]
    if isinstance(doc.validation, dict):
        for key, value in doc.validation.items():
            if isinstance(value, str):
                start = _line(doc.validation, key)
                sites.extend(Site(doc.source_display, start + line + 1 if start is not None else None, f"validation.{key}", cited)
                             for line, cited in citations(value))
    return sites + _named_sites(doc)


def citation_place(doc: Document, cited: str) -> tuple[str, int, str]:
    """(file, line, field) where `doc` first cites or names `cited`: a body line, a validation
    element's line, or the line of the report or plan block that names it (the document's top
    line when none is found)."""
    for line, found in citations(doc.body):
        if found == cited:
            return doc.body_source, doc.body_line_offset + line + 1, "body"
    if isinstance(doc.validation, dict):
        for key, value in doc.validation.items():
            if isinstance(value, str) and any(found == cited for _, found in citations(value)):
                return doc.source_display, doc.validation.line_of(key), f"validation.{key}"
    for block in ("report", "plan"):
        if block in doc.raw:
            return doc.source_display, doc.raw.line_of(block), block
    return doc.source_display, doc.raw.line, "body"
