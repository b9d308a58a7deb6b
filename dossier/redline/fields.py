"""YAML field differences between two revisions of a document, and field paths in words.

Field paths use dots for mappings and 0-based `[i]` for list items (the newer revision's index,
the older one's for a removed item). `revision`, `change` and an inline `body` are not listed as
fields (`NOT_FIELDS`): the first two are the revision itself, the body is compared as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from dossier.workspace.kinds import ART76_ELEMENTS

NOT_FIELDS = ("revision", "change", "body")
_FIELD_LABELS = {
    "title": "文件名称", "effective_date": "生效日期", "department": "归口部门", "kind": "文件类别",
    "id": "文件编号", "body_file": "正文文件", "distribution": "分发范围", "form": "表单格式",
    "validation": "验证要素", "prepared_by": "编制", "reviewed_by": "审核", "approved_by": "批准",
}
_FORM_LABELS = {"columns": "表单栏目", "rows": "表单行数", "header_fields": "表头栏目",
                "footer_fields": "表尾栏目", "column_widths": "栏宽"}
_VALIDATION_LABELS = {"purpose": "目的", **ART76_ELEMENTS}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class FieldChange:
    """One YAML field added, removed or changed (`field` is a path like `a.b[2]`)."""

    field: str
    action: str
    old: Any
    new: Any


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
