"""The change summary of a comparison: what changed, as JSON-ready data and as one Chinese line.

JSON summary (`summary()`, printed by `dossier diff --json`)::

    {
      "document": "VP-01-01", "title": "…",
      "from": {"revision": "A", "source": "releases/VP-01-01/A/VP-01-01.docx"},
      "to":   {"revision": "B", "source": "working draft"},      # or an archive path
      "change": "修订内容 of the newer revision" | null,
      "author": "张敏", "date": "2026-12-01" | null,              # on every tracked change
      "scope": "content" | "document",                          # see dossier.redline
      "sections": ["3 职责", …],                                 # headings with changes (not only a
                                                                # new number), in order
      "paragraphs": {
        "added":     [{"section": …, "text": …}],
        "removed":   [{"section": …, "text": …}],
        "moved":     [{"section": …, "text": …, "old": …}],      # section: where it is now; old: a
                                                                # heading's text where it was (when other)
                                                                # texts: pictures as [图片], footnotes as
                                                                # [脚注：…] (see Side.shown)
        "formatted": [{"section": …, "text": …}],                # same text, other formatting
        "changed":   [{"section": …, "old": …, "new": …, "diff": "…文件的[-起-]{+改+}草…"}],
        "renumbered": [{"section": "4 职责", "old": "3 职责", "new": "4 职责"}]   # headings: number only
      },
      "table_rows": {
        "added":   [{"section": …, "table": "header | cells", "cells": [...]}],
        "removed": [{"section": …, "table": …, "cells": [...]}],
        "moved":   [{"section": …, "table": …, "cells": [...]}],   # the same cells under the same header
        "changed": [{"section": …, "table": …, "old": [...], "new": [...]}],
        "formatted": [{"section": …, "table": …, "cells": [...]}]   # same cells, other formatting
      },
      "fields": {                                               # null: a revision has no archived YAML
        "added":   [{"field": "validation.sampling", "new": …}],
        "removed": [{"field": …, "old": …}],
        "changed": [{"field": "validation.acceptance_criteria[2]", "old": …, "new": …}]
      },
      "counts": {"paragraphs_added": 0, …, "paragraphs_renumbered": 0, "table_rows_changed": 0, "fields": 0},
      "outputs": {"docx": "build/diff/ID_A_B.docx", "pdf": …}   # added by `dossier diff`
    }

Field paths and which fields are listed: see `dossier.redline.fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from dossier.redline.changes import BlockChange, Redline
from dossier.redline.fields import FieldChange, field_label
from dossier.redline.tokens import split_tokens

PARAGRAPH_ACTIONS = ("added", "removed", "moved", "formatted", "changed", "renumbered")
CONTENT_ACTIONS = PARAGRAPH_ACTIONS[:-1]  # a renumbered heading follows from another change: not one itself
ROW_ACTIONS = ("added", "removed", "moved", "changed", "formatted")
UNSEEN_CHANGE = ("（图片已更换）", "（域代码有变化）")  # appended to the diff of a paragraph whose words are the same
DIFF_CONTEXT = 8  # characters kept on each side of a change in a paragraph's inline diff
_BOOKKEEPING = ("prepared_by", "reviewed_by", "approved_by", "distribution")  # left out of the one-line summary


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
    if change.action == "renumbered":
        return {"section": change.section, "old": change.old, "new": change.new}
    if change.action == "changed":
        diff = inline_diff(str(change.old), str(change.new))
        if change.old == change.new:  # the same words: what changed is a picture or a field code
            diff += UNSEEN_CHANGE[0] if "[图片]" in str(change.new) else UNSEEN_CHANGE[1]
        return {"section": change.section, "old": change.old, "new": change.new, "diff": diff}
    entry = {"section": change.section, "text": change.new if change.new is not None else change.old}
    if change.action == "moved" and change.old != change.new:  # a heading moved under another number
        entry["old"] = change.old
    return entry


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
        "sections": list(dict.fromkeys(c.section for c in changes if c.section and c.action != "renumbered")),
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
    parts.append(_counted("段落", "处", [(words[a], counts[f"paragraphs_{a}"]) for a in CONTENT_ACTIONS]))
    parts.append(_counted("表格", "行", [(words[a], counts[f"table_rows_{a}"]) for a in ROW_ACTIONS]))
    fields = data["fields"] or {}
    labels = [field_label(f["field"]) for action in ("changed", "added", "removed") for f in fields.get(action, [])
              if f["field"].split(".")[0].split("[")[0] not in _BOOKKEEPING]
    if labels:
        parts.append("字段变更：" + "、".join(dict.fromkeys(labels)))
    parts = [p for p in parts if p]
    base = f"与{data['from']['revision']}版相比"
    return f"{base}：{'；'.join(parts)}。" if parts else f"{base}内容无变化。"
