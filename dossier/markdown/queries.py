"""Queries on a document's Markdown texts (its body and the text fields of its validation elements)
and on the documents its validation blocks name (a report's protocol, a plan's protocols and
the documents its objects depend on)."""

from __future__ import annotations

from dossier.markdown import citations
from dossier.workspace.model import Document


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
