"""Queries on a document's Markdown texts (its body and the text fields of its validation elements)
and on the documents its validation blocks name (a report's protocol, a plan's protocols and
the documents its objects depend on)."""

from __future__ import annotations

from typing import Any, NamedTuple

from dossier.markdown import citations
from dossier.workspace.model import Document


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


def cited_ids(doc: Document) -> set[str]:
    """Every document id `doc` cites with [[ID]] (body and validation fields) or names in its validation blocks."""
    texts = [doc.body]
    if isinstance(doc.validation, dict):
        texts.extend(v for v in doc.validation.values() if isinstance(v, str))
    return {cited for text in texts for _, cited in citations(text)} | named_ids(doc)


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
