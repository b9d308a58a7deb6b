"""What a redline reports: its changes (`BlockChange`), and the result (`Redline`)."""

from __future__ import annotations

from dataclasses import dataclass, replace


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
    removed and added again with the same cells under the same header (a moved table, swapped rows).

    A changed row counts as its old cells removed and its new cells added, so rows swapped at a
    distance (each aligned with the other's place) are two moves; what finds no twin is changed again.
    """
    entries: list[tuple[int, BlockChange]] = []  # (index of the change it comes from, change)
    for origin, change in enumerate(changes):
        if change.kind == "row" and change.action == "changed":
            entries.append((origin, replace(change, action="removed", new=None)))
            entries.append((origin, replace(change, action="added", old=None)))
        else:
            entries.append((origin, change))
    at = 0
    while at < len(entries):
        origin, change = entries[at]
        if change.action == "removed":
            twin = next((i for i, (o, c) in enumerate(entries) if o != origin and c.kind == change.kind
                         and c.action == "added" and _held(c) == _held(change)), None)
            if twin is not None:
                found = entries[twin][1]
                entries[at] = (origin, BlockChange(change.kind, "moved", found.section, change.old, found.new, found.table))
                del entries[twin]
                at = at - 1 if twin < at else at
        at += 1
    return _rejoined(entries, changes)


def _rejoined(entries: list[tuple[int, BlockChange]], changes: list[BlockChange]) -> list[BlockChange]:
    """The entries in order, the two halves of a changed row that both found no twin made one change again."""
    halves: dict[int, int] = {}
    for origin, change in entries:
        if changes[origin].action == "changed" and change.action in ("removed", "added"):
            halves[origin] = halves.get(origin, 0) + 1
    result: list[BlockChange] = []
    for origin, change in entries:
        if halves.get(origin) == 2:
            if change.action == "removed":
                result.append(changes[origin])
            continue
        result.append(change)
    return result


def _held(change: BlockChange) -> str | None:
    """What an added or removed paragraph holds: its `content`, else (made without one) its text."""
    if change.content is not None:
        return change.content
    held = change.new if change.action == "added" else change.old
    return f"{change.table}\x1d{held}" if change.kind == "row" else held
