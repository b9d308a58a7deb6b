"""What changed between two revisions of a document: redline, YAML field changes, summary.

A released revision comes from the release archive (`releases/ID/REV/`: `ID.docx` for the text,
`ID.yaml` for the fields), each file checked against the SHA-256 its ledger entry recorded, so
any two released revisions compare reproducibly. `working` is the working draft, rendered now
(docx only). Comparing two released revisions does not read the working files.

JSON summary (`summary()`, printed by `dossier diff --json`)::

    {
      "document": "VP-01-01", "title": "…",
      "from": {"revision": "A", "source": "releases/VP-01-01/A/VP-01-01.docx"},
      "to":   {"revision": "B", "source": "working draft"},      # or an archive path
      "change": "修订内容 of the newer revision" | null,
      "author": "张敏", "date": "2026-12-01" | null,              # on every tracked change
      "scope": "content" | "document",                          # see dossier.redline
      "sections": ["3 职责", …],                                 # headings with changes, in order
      "paragraphs": {
        "added":     [{"section": …, "text": …}],
        "removed":   [{"section": …, "text": …}],
        "moved":     [{"section": …, "text": …}],                # section: where it is now
        "formatted": [{"section": …, "text": …}],                # same text, other formatting
        "changed":   [{"section": …, "old": …, "new": …, "diff": "…文件的[-起-]{+改+}草…"}]
      },
      "table_rows": {
        "added":   [{"section": …, "table": "header | cells", "cells": [...]}],
        "removed": [{"section": …, "table": …, "cells": [...]}],
        "changed": [{"section": …, "table": …, "old": [...], "new": [...]}]
      },
      "fields": {                                               # null: a revision has no archived YAML
        "added":   [{"field": "validation.sampling", "new": …}],
        "removed": [{"field": …, "old": …}],
        "changed": [{"field": "validation.acceptance_criteria[2]", "old": …, "new": …}]
      },
      "counts": {"paragraphs_added": 0, …, "table_rows_changed": 0, "fields": 0},
      "outputs": {"docx": "build/diff/ID_A_B.docx", "pdf": …}   # added by `dossier diff`
    }

Field paths use dots for mappings and 0-based `[i]` for list items (the newer revision's index,
the older one's for a removed item). `revision`, `change` and an inline `body` are not listed as
fields: the first two are the revision itself, the body is compared as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from dossier.control.archive import release_dir, sha256_bytes
from dossier.pipeline.documents import produce
from dossier.pipeline.load import load_checked
from dossier.control.controls import document_controls, ledger_of
from dossier.errors import CheckFailed, Problems, UsageError
from dossier.control.ledger import LedgerEntry
from dossier.control.lifecycle import recorded_date
from dossier.workspace.load import load_workspace
from dossier.workspace.model import KIND_LABELS, Workspace
from dossier.redline import BlockChange, Redline, redline, split_tokens
from dossier.word.templates import template_path
from dossier.validate import ART76_ELEMENTS
from dossier.workspace.yamlsrc import load_yaml_text

WORKING = "working"
NOT_FIELDS = ("revision", "change", "body")
PARAGRAPH_ACTIONS = ("added", "removed", "moved", "formatted", "changed")
ROW_ACTIONS = ("added", "removed", "changed")
DIFF_CONTEXT = 8  # characters kept on each side of a change in a paragraph's inline diff
_FIELD_LABELS = {
    "title": "文件名称", "effective_date": "生效日期", "department": "归口部门", "kind": "文件类别",
    "id": "文件编号", "body_file": "正文文件", "distribution": "分发范围", "form": "表单格式",
    "validation": "验证要素", "prepared_by": "编制", "reviewed_by": "审核", "approved_by": "批准",
}
_FORM_LABELS = {"columns": "表单栏目", "rows": "表单行数", "header_fields": "表头栏目",
                "footer_fields": "表尾栏目", "column_widths": "栏宽"}
_VALIDATION_LABELS = {"purpose": "目的", **ART76_ELEMENTS}
_BOOKKEEPING = ("prepared_by", "reviewed_by", "approved_by", "distribution")  # left out of the one-line summary
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Revision:
    """One side of a comparison: its rendering, its YAML and who revised it when."""

    label: str  # the revision, or "working"
    revision: str
    docx: bytes
    fields: Any  # the document's YAML mapping; None when it was not archived
    source: str
    author: str | None
    day: date | None


@dataclass(frozen=True)
class FieldChange:
    """One YAML field added, removed or changed (`field` is a path like `a.b[2]`)."""

    field: str
    action: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Comparison:
    """Two revisions of a document, the redline between them and their field changes."""

    document: str
    title: str
    old: Revision
    new: Revision
    author: str
    redline: Redline
    fields: list[FieldChange] | None
    build_dir: Path  # the workspace's build directory


# -- the two revisions ---------------------------------------------------------------------------


def _archived_file(ws: Workspace, entry: LedgerEntry, name: str, required: bool) -> tuple[bytes | None, str]:
    """An archived file of a release, checked against its ledger entry."""
    path = release_dir(ws.root, entry.document, entry.revision, ws.config.releases_dir) / name
    rel = path.relative_to(ws.root).as_posix()
    recorded = entry.outputs.get(rel)
    if recorded is None:
        if required:
            raise CheckFailed([f"{rel}: not recorded in ledger entry {entry.seq} ({entry.describe()})"])
        return None, rel
    if not path.is_file():
        raise CheckFailed([f"{rel}: missing (recorded in ledger entry {entry.seq}); run `dossier verify`"])
    data = path.read_bytes()
    if sha256_bytes(data) != recorded:
        raise CheckFailed([f"{rel}: SHA-256 differs from ledger entry {entry.seq}; run `dossier verify`"])
    return data, rel


def _signoff(fields: Any, key: str) -> tuple[str | None, date | None]:
    person = fields.get(key) if isinstance(fields, dict) else None
    if not isinstance(person, dict):
        return None, None
    try:
        day = date.fromisoformat(str(person.get("date")))
    except ValueError:
        day = None
    return (str(person["name"]) if person.get("name") else None), day


def _archived(ws: Workspace, entry: LedgerEntry) -> Revision:
    docx, rel = _archived_file(ws, entry, f"{entry.document}.docx", required=True)
    raw, yaml_rel = _archived_file(ws, entry, f"{entry.document}.yaml", required=False)
    fields = None
    if raw is not None:
        problems = Problems()
        fields = load_yaml_text(raw.decode("utf-8"), yaml_rel, problems)
        problems.raise_if_any()
    author, day = _signoff(fields, "prepared_by")
    return Revision(entry.revision, entry.revision, docx, fields, rel, author or entry.prepared_by,
                    day or recorded_date(entry))


def _working(ws: Workspace, doc_id: str, entries: list[LedgerEntry]) -> Revision:
    doc = ws.documents[doc_id]
    controls = {doc.id: document_controls(ws, doc, entries, date.today())}
    data = produce(ws, [doc], controls, "docx")[doc.id]["docx"]
    author = doc.prepared_by.name if doc.prepared_by else None
    day = doc.prepared_by.date if doc.prepared_by else None
    return Revision(WORKING, doc.revision, data, doc.raw, "working draft", author, day or doc.effective_date)


def _never_released(option: str, doc_id: str, rev: str, entries: list) -> UsageError:
    """The error for a --from/--to revision that is not in the ledger."""
    return UsageError(f"error: {option} {rev}: {doc_id} revision {rev} was never released "
                      f"(released: {_released_list(entries)})")


def _released_list(entries: list[LedgerEntry]) -> str:
    return ", ".join(e.revision for e in entries) or "none"


def _sides(ws: Workspace, doc_id: str, from_rev: str | None, to_rev: str) -> tuple[Revision, Revision]:
    all_entries = ledger_of(ws).entries()
    entries = [e for e in all_entries if e.document == doc_id and e.action == "release"]
    released = {e.revision: e for e in entries}
    doc = ws.documents.get(doc_id)
    if doc is None and not entries:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/ and never released")
    if to_rev == WORKING:
        if doc is None:
            raise UsageError(f"error: {doc_id}: no working draft in {ws.config.content_dir}/; give --to REV")
        newer_entry = released.get(doc.revision)
    elif to_rev in released:
        newer_entry = released[to_rev]
    else:
        raise _never_released("--to", doc_id, to_rev, entries)
    if from_rev is None:
        before = entries[:entries.index(newer_entry)] if newer_entry is not None else entries
        if not before:
            what = f"revision {newer_entry.revision}" if newer_entry is not None else "the working draft"
            raise UsageError(f"error: {doc_id}: no released revision before {what} to compare with")
        older_entry = before[-1]
    elif from_rev in released:
        older_entry = released[from_rev]
    else:
        raise _never_released("--from", doc_id, from_rev, entries)
    if older_entry is newer_entry:
        raise UsageError(f"error: --from {older_entry.revision} and --to are the same revision")
    newer = _archived(ws, newer_entry) if newer_entry is not None else _working(ws, doc_id, all_entries)
    return _archived(ws, older_entry), newer


def compare(root: Path, doc_id: str, from_rev: str | None = None, to_rev: str = WORKING,
            author: str | None = None) -> Comparison:
    """Compare two revisions of `doc_id` (default: the last release before `to_rev` with it).

    `to_rev` is a released revision or "working" (the working draft, also when named by its
    revision; its own release when the working revision is released). `author` overrides the
    newer revision's author on the changes.
    """
    ws = load_workspace(root, Problems())  # archived revisions do not depend on the working files
    doc = ws.documents.get(doc_id)
    if to_rev == WORKING or (doc is not None and to_rev == doc.revision and ledger_of(ws).released(doc_id, to_rev) is None):
        ws, to_rev = load_checked(root), WORKING
    return _compare(ws, doc_id, from_rev, to_rev, author)


def _compare(ws: Workspace, doc_id: str, from_rev: str | None, to_rev: str, author: str | None) -> Comparison:
    old, new = _sides(ws, doc_id, from_rev, to_rev)
    doc = ws.documents.get(doc_id)
    fields = new.fields if isinstance(new.fields, dict) else {}
    title = str(fields.get("title") or (doc.title if doc else doc_id))
    kind = str(fields.get("kind") or (doc.kind if doc else ""))
    template = template_path(ws, kind) if kind in KIND_LABELS else None
    name = author or new.author or "dossier"
    result = redline(old.docx, new.docx, name, new.day, template)
    changed = None
    if isinstance(old.fields, dict) and isinstance(new.fields, dict):
        changed = [c for c in field_changes(old.fields, new.fields) if c.field.split(".")[0].split("[")[0] not in NOT_FIELDS]
    return Comparison(doc_id, title, old, new, name, result, changed, ws.config.build_path)


# -- YAML fields ---------------------------------------------------------------------------------


def _item_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def field_changes(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Every field added, removed or changed from `old` to `new` (YAML mappings and lists)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in [*new, *(k for k in old if k not in new)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in old:
                found.append(FieldChange(sub, "added", None, new[key]))
            elif key not in new:
                found.append(FieldChange(sub, "removed", old[key], None))
            else:
                found += field_changes(old[key], new[key], sub)
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        matcher = SequenceMatcher(None, [_item_key(x) for x in old], [_item_key(x) for x in new], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    found += field_changes(old[i1 + k], new[j1 + k], f"{path}[{j1 + k}]")
                continue
            found += [FieldChange(f"{path}[{i}]", "removed", old[i], None) for i in range(i1, i2)]
            found += [FieldChange(f"{path}[{j}]", "added", None, new[j]) for j in range(j1, j2)]
        return found
    return [] if old == new else [FieldChange(path, "changed", old, new)]


def field_label(path: str) -> str:
    """A field path in words: `validation.acceptance_criteria[2]` -> 接收准则第3条."""
    parts = [(m.group(1), m.group(2)) for m in _PATH_PART.finditer(path)]
    names = [name for name, _ in parts if name]
    index = next((int(i) for _, i in parts if i), None)
    if names[0] == "validation" and len(names) > 1 and names[1] in _VALIDATION_LABELS:
        label = _VALIDATION_LABELS[names[1]]
    elif names[0] == "form" and len(names) > 1 and names[1] in _FORM_LABELS:
        label = _FORM_LABELS[names[1]]
    else:
        label = _FIELD_LABELS.get(names[0], path)
    return f"{label}第{index + 1}条" if index is not None and label != path else label


# -- summaries -----------------------------------------------------------------------------------


def inline_diff(old: str, new: str, context: int = DIFF_CONTEXT) -> str:
    """The changed fragments of a paragraph with a little context: `…的[-起-]{+改+}草…`.

    Compared by the redline's tokens (CJK characters, Latin words, numbers).
    """
    pieces = []
    before, after = split_tokens(old), split_tokens(new)
    ops = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        gone, came = "".join(before[i1:i2]), "".join(after[j1:j2])
        if tag != "equal":
            pieces.append((f"[-{gone}-]" if gone else "") + (f"{{+{came}+}}" if came else ""))
            continue
        text = gone
        first, last = index == 0, index == len(ops) - 1
        if len(text) > (0 if first or last else context) + context:
            head = "" if first else text[:context]
            tail = "" if last else text[-context:]
            text = head + "…" + tail
        pieces.append(text)
    return "".join(pieces)


def _paragraph_entry(change: BlockChange) -> dict[str, Any]:
    if change.action == "changed":
        return {"section": change.section, "old": change.old, "new": change.new,
                "diff": inline_diff(str(change.old), str(change.new))}
    return {"section": change.section, "text": change.new if change.new is not None else change.old}


def _row_entry(change: BlockChange) -> dict[str, Any]:
    entry: dict[str, Any] = {"section": change.section, "table": change.table}
    if change.action == "changed":
        entry.update(old=list(change.old or ()), new=list(change.new or ()))
    else:
        entry["cells"] = list(change.new if change.new is not None else change.old or ())
    return entry


def summary(comparison: Comparison) -> dict[str, Any]:
    """The change summary as JSON-ready data (schema in the module docstring)."""
    changes = comparison.redline.changes
    paragraphs: dict[str, list] = {a: [] for a in PARAGRAPH_ACTIONS}
    rows: dict[str, list] = {a: [] for a in ROW_ACTIONS}
    for change in changes:
        if change.kind == "paragraph":
            paragraphs[change.action].append(_paragraph_entry(change))
        else:
            rows[change.action].append(_row_entry(change))
    fields = None
    if comparison.fields is not None:
        fields = {"added": [], "removed": [], "changed": []}
        for item in comparison.fields:
            entry = {"field": item.field}
            if item.action != "added":
                entry["old"] = item.old
            if item.action != "removed":
                entry["new"] = item.new
            fields[item.action].append(entry)
    counts = {f"paragraphs_{a}": len(paragraphs[a]) for a in PARAGRAPH_ACTIONS}
    counts.update({f"table_rows_{a}": len(rows[a]) for a in ROW_ACTIONS})
    counts["fields"] = len(comparison.fields or [])
    new_fields = comparison.new.fields if isinstance(comparison.new.fields, dict) else {}
    return {
        "document": comparison.document,
        "title": comparison.title,
        "from": {"revision": comparison.old.revision, "source": comparison.old.source},
        "to": {"revision": comparison.new.revision, "source": comparison.new.source},
        "change": new_fields.get("change") or None,
        "author": comparison.author,
        "date": comparison.new.day.isoformat() if comparison.new.day else None,
        "scope": comparison.redline.scope,
        "sections": list(dict.fromkeys(c.section for c in changes if c.section)),
        "paragraphs": paragraphs,
        "table_rows": rows,
        "fields": fields,
        "counts": counts,
    }


def _counted(label: str, unit: str, counts: list[tuple[str, int]]) -> str | None:
    shown = [f"{word}{n}{unit}" for word, n in counts if n]
    return label + "、".join(shown) if shown else None


def summary_sentence(data: dict[str, Any]) -> str:
    """One line in Chinese for the revision history: sections, counts and changed fields."""
    counts = data["counts"]
    words = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "移动", "formatted": "格式调整"}
    parts = []
    if data["sections"]:
        shown = data["sections"][:5]
        more = f"等{len(data['sections'])}个章节" if len(data["sections"]) > len(shown) else ""
        parts.append("涉及" + "、".join(f"“{s}”" for s in shown) + more)
    parts.append(_counted("段落", "处", [(words[a], counts[f"paragraphs_{a}"]) for a in PARAGRAPH_ACTIONS]))
    parts.append(_counted("表格", "行", [(words[a], counts[f"table_rows_{a}"]) for a in ROW_ACTIONS]))
    fields = data["fields"] or {}
    labels = [field_label(f["field"]) for action in ("changed", "added", "removed") for f in fields.get(action, [])
              if f["field"].split(".")[0].split("[")[0] not in _BOOKKEEPING]
    if labels:
        parts.append("字段变更：" + "、".join(dict.fromkeys(labels)))
    parts = [p for p in parts if p]
    base = f"与{data['from']['revision']}版相比"
    return f"{base}：{'；'.join(parts)}。" if parts else f"{base}内容无变化。"


def change_summary_text(root: Path, doc_id: str) -> str:
    """One-line Chinese summary of the working draft against the last release, for the history.

    "首次发布" when there is no earlier release to compare with.
    """
    ws = load_checked(root)
    doc = ws.documents.get(doc_id)
    if doc is None:
        raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/")
    earlier = [e for e in ledger_of(ws).for_document(doc_id) if e.action == "release" and e.revision != doc.revision]
    if not earlier:
        return "首次发布"
    return summary_sentence(summary(_compare(ws, doc_id, None, WORKING, None)))
