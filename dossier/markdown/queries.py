"""Queries on a document's Markdown texts (its body and the text fields of its validation elements)."""

from __future__ import annotations

from dossier.markdown import citations
from dossier.workspace.model import Document


def cited_ids(doc: Document) -> set[str]:
    """Every document id `doc` cites with [[ID]] (body and validation fields)."""
    texts = [doc.body]
    if isinstance(doc.validation, dict):
        texts.extend(v for v in doc.validation.values() if isinstance(v, str))
    return {cited for text in texts for _, cited in citations(text)}
