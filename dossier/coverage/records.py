"""Record forms whose content an article prescribes: `record_type:` names the type, the form must show its fields.

The types are data of each rule set (`records:` in ruleset.yaml), e.g. `batch_production`: device
GMP 2025 Art. 81 lists what a production record holds at least (产品名称、规格型号、生产批号或者
产品编号(医疗器械唯一标识) …). A record form with `record_type: batch_production` must name each of
them, written exactly so, among its `form.header_fields`, `form.columns` or `form.footer_fields`.
"""

from __future__ import annotations

from dossier.coverage.catalogue import RecordType, load_rules
from dossier.errors import Problems
from dossier.workspace.fields import FieldReader
from dossier.workspace.model import Document

FORM_PARTS = ("header_fields", "columns", "footer_fields")


def record_types(rules_ids: list[str]) -> dict[str, tuple[str, RecordType]]:
    """Every record type of the rule sets in use: {type id: (rule set id, type)} (the first rule set wins a clash)."""
    found: dict[str, tuple[str, RecordType]] = {}
    for rules_id in rules_ids:
        for key, record in load_rules(rules_id).records.items():
            found.setdefault(key, (rules_id, record))
    return found


def check_record_type(doc: Document, rules_ids: list[str], problems: Problems) -> None:
    """A record form's `record_type` is known and its form shows every field the article prescribes."""
    reader = FieldReader(doc.raw, problems)
    name = reader.text("record_type")
    if not name:
        return
    types = record_types(rules_ids)
    if name not in types:
        reader.fail("record_type", f"unknown record type {name!r} (known: {', '.join(sorted(types)) or 'none'})")
        return
    rules_id, record = types[name]
    form = doc.form if isinstance(doc.form, dict) else {}
    shown = {str(field).strip() for part in FORM_PARTS for field in (form.get(part) or []) if isinstance(form.get(part), list)}
    label = load_rules(rules_id).articles[record.article].label
    for field in record.fields:
        if field not in shown:
            reader.fail("form", f"{record.title} ({rules_id} Art. {record.article}, {label}) must show {field!r}: "
                                "add it to form.header_fields, form.columns or form.footer_fields, written exactly so")
