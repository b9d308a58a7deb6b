"""What a redline reports: its changes (`BlockChange`), and the result (`Redline`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BlockChange:
    """One change found in the compared content.

    `kind` is "paragraph" or "row"; `action` is "added", "removed", "changed", "moved",
    "formatted" (same text, other formatting) or "renumbered" (a heading of the same level and
    formatting whose text differs only in the section number it has at its place in each rendering,
    because sections before it were added, removed or moved). `section` is the heading it sits under. For a
    paragraph `old`/`new` are its texts as a summary shows them (`Side.shown`: pictures as [图片],
    footnotes as [脚注：…]), for a row tuples of its cell texts; `table` is the first row of the
    row's table (its header), joined with " | ". `content` is what an added or removed paragraph
    holds, as alignment compares it (`Side.align_key`: pictures by their bytes, headings without
    their number): `moves` pairs by it.
    """

    kind: str
    action: str
    section: str
    old: str | tuple[str, ...] | None
    new: str | tuple[str, ...] | None
    table: str | None = None
    content: str | None = None


@dataclass(frozen=True)
class Redline:
    """The tracked-changes docx, the changes it shows, and what was compared."""

    data: bytes
    changes: list[BlockChange]
    scope: str  # "content" or "document"


def moves(changes: list[BlockChange]) -> list[BlockChange]:
    """A removed paragraph added again unchanged elsewhere is one move (same `content`: the same words,
    pictures and footnotes; a heading may carry another section number there); so is a table row
    removed and added again with the same cells under the same header (a moved table, swapped rows)."""
    result = list(changes)
    for change in changes:
        if change.action != "removed":
            continue
        twin = next((c for c in result if c.kind == change.kind and c.action == "added" and _held(c) == _held(change)), None)
        if twin is None:
            continue
        result[result.index(change)] = BlockChange(change.kind, "moved", twin.section, change.old, twin.new, twin.table)
        result.remove(twin)
    return result


def _held(change: BlockChange) -> str | None:
    """What an added or removed paragraph holds: its `content`, else (made without one) its text."""
    if change.content is not None:
        return change.content
    held = change.new if change.action == "added" else change.old
    return f"{change.table}\x1d{held}" if change.kind == "row" else held
