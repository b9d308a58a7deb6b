"""Rules for the YAML blocks only some kinds take: a record form's grid, a protocol's Art. 76
elements and acceptance criteria, a validation plan's objects, a validation report's results.

`BLOCK_RULES` maps each block (`DocumentKind.fields`) to its rule; validate runs the rules of
the blocks a document's kind takes, and reports a block on a kind that does not take it.
"""

from __future__ import annotations

from collections.abc import Callable

from dossier.errors import Problems
from dossier.validation.criteria import read_criteria
from dossier.validation.plan import read_plan
from dossier.validation.sources import PROTOCOL_KIND, report_evaluation
from dossier.workspace.fields import FieldReader
from dossier.workspace.kinds import ART76_ELEMENTS
from dossier.workspace.model import Document, Workspace
from dossier.workspace.yamlsrc import SourceMap

VALIDATION_FIELDS = set(ART76_ELEMENTS) | {"purpose"}
FORM_FIELDS = {"header_fields", "columns", "rows", "footer_fields"}
MAX_FORM_ROWS = 60


def check_form(ws: Workspace, doc: Document, problems: Problems) -> None:
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


# block -> (its rule, what to say when a document of another kind carries it)
BLOCK_RULES: dict[str, tuple[Callable[[Workspace, Document, Problems], None], str]] = {
    "form": (check_form, "only record forms (kind: record_form) have a form layout"),
    "validation": (check_validation, "only validation protocols (kind: validation_protocol) have validation elements"),
    "plan": (check_plan, "only validation master plans (kind: validation_plan) list validation objects"),
    "report": (check_report, "only validation reports (kind: validation_report) carry validation results"),
}
