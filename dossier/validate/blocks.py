"""Rules for the YAML blocks only some kinds take: a record form's grid, a protocol's Art. 76 elements.

`BLOCK_RULES` maps each block (`DocumentKind.fields`) to its rule; validate runs the rules of
the blocks a document's kind takes, and reports a block on a kind that does not take it.
"""

from __future__ import annotations

from collections.abc import Callable

from dossier.errors import Problems
from dossier.workspace.fields import FieldReader
from dossier.workspace.kinds import ART76_ELEMENTS
from dossier.workspace.model import Document

VALIDATION_FIELDS = set(ART76_ELEMENTS) | {"purpose"}
FORM_FIELDS = {"header_fields", "columns", "rows", "footer_fields"}
MAX_FORM_ROWS = 60


def check_form(doc: Document, problems: Problems) -> None:
    """A record form's grid: columns, rows (1–60), header and footer fields (drug GMP 1992 Art. 68: room to write)."""
    reader = FieldReader(doc.raw, problems)
    form = reader.child("form")
    if form is None:
        if doc.raw.get("form") is None:
            reader.fail("form", "a record form needs form.columns and form.rows (the blank table to fill in)")
        return
    form.unknown(FORM_FIELDS)
    form.text_list("columns", required=True)
    rows = form.integer("rows", required=True, minimum=1)
    if rows > MAX_FORM_ROWS:
        form.fail("rows", f"at most {MAX_FORM_ROWS} rows per form page set, got {rows}")
    form.text_list("header_fields")
    form.text_list("footer_fields")


def check_validation(doc: Document, problems: Problems) -> None:
    """A protocol's validation block states every element device GMP 2025 Art. 76 lists."""
    reader = FieldReader(doc.raw, problems)
    block = reader.child("validation")
    if block is None:
        if doc.raw.get("validation") is None:
            missing = "、".join(ART76_ELEMENTS.values())
            reader.fail("validation", f"a validation protocol must state (device GMP Art. 76): {missing}")
        return
    block.unknown(VALIDATION_FIELDS)
    for key, label in ART76_ELEMENTS.items():
        value = block.get(key)
        if value is None or (isinstance(value, (str, list)) and not value):
            block.fail(key, f"missing {label} (device GMP Art. 76 requires it in every protocol)")
    for entry in block.mappings("responsibilities"):
        entry.unknown({"department", "person", "duties"})
        entry.text("department", required=True)
        entry.text("person")
        entry.text("duties", required=True)
    for key in ("object", "environment", "method", "sampling", "purpose"):
        block.text(key)
    if block.get("acceptance_criteria") is not None:
        block.text_list("acceptance_criteria", required=True)


# block -> (its rule, what to say when a document of another kind carries it)
BLOCK_RULES: dict[str, tuple[Callable[[Document, Problems], None], str]] = {
    "form": (check_form, "only record forms (kind: record_form) have a form layout"),
    "validation": (check_validation, "only validation protocols (kind: validation_protocol) have validation elements"),
}
