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
from dossier.workspace.spec import INTEGER, MAPPINGS, TEXT, TEXTS, Field, mapping

MAX_FORM_ROWS = 60
FORM = mapping(
    "form",
    Field("header_fields", TEXTS, label="表头栏目", doc="fields above the grid (部门, 年度 …)"),
    Field("columns", TEXTS, required=True, min_items=1, label="表格列", doc="the column headings of the grid"),
    Field("rows", INTEGER, required=True, minimum=1, maximum=MAX_FORM_ROWS, label="空行数", doc="blank rows to write in"),
    Field("footer_fields", TEXTS, label="表尾栏目", doc="fields below the grid (记录人, 复核人 …)"),
    required=True, label="表格", doc="the blank grid of a record form (drug GMP 1992 Art. 68: room to write)",
)
_ART76 = ART76_ELEMENTS
VALIDATION = mapping(
    "validation",
    Field("purpose", TEXT, label="目的"),
    Field("object", TEXT, required=True, label=_ART76["object"]),
    Field("responsibilities", MAPPINGS, required=True, min_items=1, label=_ART76["responsibilities"], fields=(
        Field("department", TEXT, required=True, label="部门"),
        Field("person", TEXT, label="人员"),
        Field("duties", TEXT, required=True, label="职责"),
    )),
    Field("environment", TEXT, required=True, label=_ART76["environment"]),
    Field("method", TEXT, required=True, label=_ART76["method"]),
    Field("sampling", TEXT, required=True, label=_ART76["sampling"]),
    Field("acceptance_criteria", TEXTS, required=True, min_items=1, label=_ART76["acceptance_criteria"]),
    required=True, label="验证要素", doc="the six elements device GMP 2025 Art. 76 requires in every protocol",
)
FORM_FIELDS = FORM.names
VALIDATION_FIELDS = VALIDATION.names


def check_form(doc: Document, problems: Problems) -> None:
    """A record form's grid: columns, rows (1–60), header and footer fields (drug GMP 1992 Art. 68: room to write)."""
    reader = FieldReader(doc.raw, problems)
    form = reader.child("form")
    if form is None:
        if doc.raw.get("form") is None:
            reader.fail("form", "a record form needs form.columns and form.rows (the blank table to fill in)")
        return
    form.unknown(FORM.names)
    form.read(FORM["columns"])
    rows = form.read(FORM["rows"])
    if rows > MAX_FORM_ROWS:
        form.fail("rows", f"at most {MAX_FORM_ROWS} rows per form page set, got {rows}")
    form.read(FORM["header_fields"])
    form.read(FORM["footer_fields"])


def check_validation(doc: Document, problems: Problems) -> None:
    """A protocol's validation block states every element device GMP 2025 Art. 76 lists."""
    reader = FieldReader(doc.raw, problems)
    block = reader.child("validation")
    if block is None:
        if doc.raw.get("validation") is None:
            missing = "、".join(ART76_ELEMENTS.values())
            reader.fail("validation", f"a validation protocol must state (device GMP Art. 76): {missing}")
        return
    block.unknown(VALIDATION.names)
    for key, label in ART76_ELEMENTS.items():
        value = block.get(key)
        if value is None or (isinstance(value, (str, list)) and not value):
            block.fail(key, f"missing {label} (device GMP Art. 76 requires it in every protocol)")
    responsibilities = VALIDATION["responsibilities"]
    for entry in block.items(responsibilities):
        for field in responsibilities.fields:
            entry.read(field)
    for key in ("object", "environment", "method", "sampling", "purpose"):
        block.text(key)
    if block.get("acceptance_criteria") is not None:
        block.text_list("acceptance_criteria", required=True)


# block -> its field definition (for `dossier schema`)
BLOCK_FIELDS: dict[str, Field] = {"form": FORM, "validation": VALIDATION}
# block -> (its rule, what to say when a document of another kind carries it)
BLOCK_RULES: dict[str, tuple[Callable[[Document, Problems], None], str]] = {
    "form": (check_form, "only record forms (kind: record_form) have a form layout"),
    "validation": (check_validation, "only validation protocols (kind: validation_protocol) have validation elements"),
}
