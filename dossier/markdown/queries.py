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
