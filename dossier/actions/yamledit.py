"""Edit one top-level field of a document's YAML in place, keeping every other line as written.

What release and revise write into the sources (the effective date, the approver of record,
cleared sign-off dates), so the archived sources, the ledger and the rendered document agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from dossier.errors import UsageError
from dossier.util.atomic import write_text


def _flow(value: Any) -> str:
    """A YAML flow value: text double-quoted, mappings `{name: "张敏", date: "2026-12-01"}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _block_end(lines: list[str], index: int) -> int:
    """The index after the value that starts at `lines[index]` (indented continuation lines included)."""
    end = index + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    return end


def set_field(path: Path, key: str, line: int | None, value: Any, after: tuple[str, ...] = ()) -> None:
    """Replace the top-level `key:` at `line` (and its indented continuation), or add it.

    `value` is text or a mapping of texts (written as one flow line); None removes the field.
    A new field goes after the first of the top-level fields `after` the file has (and its
    block), else at the end. UsageError when `line` does not hold `key:`.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    new = [] if value is None else [f"{key}: {_flow(value)}\n"]
    if line:
        index = line - 1
        if index >= len(lines) or not re.match(rf"^{re.escape(key)}\s*:", lines[index]):
            raise UsageError(f"error: {path}:{line}: {key}: cannot update this field automatically")
        lines[index:_block_end(lines, index)] = new
    elif new:
        anchor = next((i for name in after for i, text in enumerate(lines) if re.match(rf"^{re.escape(name)}\s*:", text)), None)
        if anchor is None:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines.extend(new)
        else:
            index = _block_end(lines, anchor)
            while index > anchor + 1 and not lines[index - 1].strip():
                index -= 1  # before the blank lines that end the block
            lines[index:index] = new
    write_text(path, "".join(lines))


def set_fields(path: Path, edits: dict[str, Any], line_of: dict[str, int | None], after: tuple[str, ...] = ()) -> None:
    """Several `set_field` edits: present fields bottom-up (a replaced block cannot shift the next
    edit's line), then the new ones after the first of the fields `after` (see `set_field`)."""
    for key in sorted((k for k in edits if line_of.get(k)), key=lambda k: line_of[k], reverse=True):
        set_field(path, key, line_of[key], edits[key])
    for key in reversed([k for k in edits if not line_of.get(k)]):
        set_field(path, key, None, edits[key], after)
