"""Rules for the YAML blocks only some kinds take: a record form's grid, a protocol's Art. 76
elements and acceptance criteria, a validation plan's objects, a validation report's results.

`BLOCK_RULES` maps each block (`DocumentKind.fields`) to its rule; validate runs the rules of
the blocks a document's kind takes, and reports a block on a kind that does not take it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from dossier.errors import Problems
from dossier.validation.criteria import read_criteria
from dossier.validation.plan import read_plan
from dossier.validation.sources import PROTOCOL_KIND, report_evaluation
from dossier.validation.spec import ACCEPTANCE_CRITERIA, PLAN, REPORT
from dossier.workspace.fields import FieldReader
from dossier.workspace.kinds import ART76_ELEMENTS
from dossier.workspace.model import Document, Workspace
from dossier.workspace.spec import INTEGER, MAPPINGS, TEXT, TEXTS, Field, mapping
from dossier.workspace.yamlsrc import SourceMap

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
    dataclasses.replace(ACCEPTANCE_CRITERIA, label=_ART76["acceptance_criteria"]),
    required=True, label="验证要素", doc="the six elements device GMP 2025 Art. 76 requires in every protocol",
)
FORM_FIELDS = FORM.names
VALIDATION_FIELDS = VALIDATION.names


def check_form(ws: Workspace, doc: Document, problems: Problems) -> None:
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


def check_validation(ws: Workspace, doc: Document, problems: Problems) -> None:
    """A protocol's validation block states every element device GMP 2025 Art. 76 lists; its
    acceptance criteria are free text or rules the tool evaluates (dossier.validation.criteria)."""
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
        read_criteria(block)


def check_plan(ws: Workspace, doc: Document, problems: Problems) -> None:
    """A validation master plan's objects (Art. 76 验证计划): fields, protocols and documents they name."""
    objects = {obj.line: obj for obj in read_plan(FieldReader(doc.raw, problems))}
    block = doc.raw.get("plan")
    items = block.get("objects") if isinstance(block, SourceMap) else None
    for index, item in enumerate(items if isinstance(items, list) else [], start=1):
        obj = objects.get(item.line) if isinstance(item, SourceMap) else None
        if obj is None:
            continue
        entry = FieldReader(item, problems, f"plan.objects[{index}].")
        target = ws.documents.get(obj.protocol)
        if obj.protocol and target is None and obj.protocol not in ws.unreadable:
            entry.fail("protocol", f"{obj.protocol} is no document of {ws.config.content_dir}/")
        elif target is not None and target.kind != PROTOCOL_KIND:
            entry.fail("protocol", f"{obj.protocol} is a {target.kind_label}, not a validation protocol (验证方案)")
        for name in obj.depends_on:
            if name not in ws.documents and name not in ws.unreadable:
                entry.fail("depends_on", f"{name} is no document of {ws.config.content_dir}/ (list the documents a change of which calls for an assessment)")
        for assessment in obj.assessed:
            if assessment.document not in obj.depends_on:
                entry.fail("assessed", f"{assessment.document} is not in depends_on of {obj.id}")


def check_report(ws: Workspace, doc: Document, problems: Problems) -> None:
    """A validation report: its protocol revision exists, every criterion is evaluated from valid
    results, each failed criterion has a deviation, and a stated conclusion is one the evaluation allows."""
    report_evaluation(ws, doc, problems)


# block -> its field definition (for `dossier schema`)
BLOCK_FIELDS: dict[str, Field] = {"form": FORM, "validation": VALIDATION, "plan": PLAN, "report": REPORT}
# block -> (its rule, what to say when a document of another kind carries it)
BLOCK_RULES: dict[str, tuple[Callable[[Workspace, Document, Problems], None], str]] = {
    "form": (check_form, "only record forms (kind: record_form) have a form layout"),
    "validation": (check_validation, "only validation protocols (kind: validation_protocol) have validation elements"),
    "plan": (check_plan, "only validation master plans (kind: validation_plan) list validation objects"),
    "report": (check_report, "only validation reports (kind: validation_report) carry validation results"),
}
