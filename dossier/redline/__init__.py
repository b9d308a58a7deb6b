"""Redline: the newer rendering of a document with every change since the older one as a native
Word tracked change (`w:ins`/`w:del`, `w:rPrChange`/`w:pPrChange`, `w:trPr/w:ins|w:del` rows).

Scope: only the content produced from the YAML and Markdown is compared (record-form grid and
body, between the template's first `{{p form}}`/`{{p body}}` placeholder and the end of the body).
The frame around it (title block, approval block, revision history, table of contents, headers
and footers) is taken from the newer revision unmarked: its changes are the revision itself and
are listed in the revision history. When the older rendering does not fit the template (the
template changed between the revisions), the whole document body is compared instead
(`Redline.scope == "document"`).

Method: blocks (paragraphs, tables) are aligned with difflib over their texts; blocks in a
changed stretch are paired by similarity (monotonic, best total similarity), the rest are added
or removed. Paired paragraphs are compared by tokens (one token per CJK character or punctuation
mark, one per Latin word or number), so a one-character edit is a one-character change; tiny
common fragments between two edits are folded into the edit so changes read as phrases. Tables
are compared row by row (rows aligned and paired the same way) and paired rows cell by cell.
Equal text whose character formatting changed gets `w:rPrChange`; a paragraph whose properties
(style, numbering level, alignment, indents) changed gets `w:pPrChange`. Table, row and cell
properties (column widths follow the content) are the newer revision's. A moved paragraph is a
deletion at its old place and an insertion at its new one (every consumer shows that the same
way) and is reported as moved.

Accepting all changes yields the newer revision's text and rejecting all the older one's. A
paragraph added or removed at the end of a table cell or of the document carries its paragraph
mark on the paragraph before it, as Word does, because a container's last mark cannot change.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TypeVar

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from lxml import etree

from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties
from dossier.errors import UsageError

PARAGRAPH_SIMILARITY = 0.5  # paired as "changed" at or above this ratio, else removed + added
TABLE_SIMILARITY = 0.3
ROW_SIMILARITY = 0.5
FOLD_ATOMS = 2  # a common fragment of at most this many characters between two edits joins them
_MAX_PAIRING = 40_000  # blocks compared pairwise in one changed stretch (beyond: removed + added)

_OBJECT = "\ufffc"  # starts the comparison key of a non-text run element (picture, field code)
_P, _R, _T, _TBL, _TR, _TC = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_PPR, _RPR, _TRPR, _TCPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr"), qn("w:tcPr")
_SECTPR, _PPRCHANGE, _RPRCHANGE = qn("w:sectPr"), qn("w:pPrChange"), qn("w:rPrChange")
_NUMID = qn("w:numId")
_R_NS = nsmap["r"]
_DOCPR = qn("wp:docPr")
_PLACEHOLDER = re.compile(r"\{\{p\s+(\w+)\s*\}\}")
_HEADING = re.compile(r"heading \d", re.IGNORECASE)
_TOC = re.compile(r"toc \d", re.IGNORECASE)
_SKIPPED = {qn("w:rPr"), qn("w:lastRenderedPageBreak")}

_Block = TypeVar("_Block")


def _paragraph_properties(p: Any) -> Any:
    """The paragraph's w:pPr, created as its first child when missing."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    return ppr


@dataclass(frozen=True)
class BlockChange:
    """One change found in the compared content.

    `kind` is "paragraph" or "row"; `action` is "added", "removed", "changed", "moved" or
    "formatted" (same text, other formatting). `section` is the heading it sits under. For a
    paragraph `old`/`new` are its texts, for a row tuples of its cell texts; `table` is the
    first row of the row's table (its header), joined with " | ".
    """

    kind: str
    action: str
    section: str
    old: str | tuple[str, ...] | None
    new: str | tuple[str, ...] | None
    table: str | None = None


@dataclass(frozen=True)
class Redline:
    """The tracked-changes docx, the changes it shows, and what was compared."""

    data: bytes
    changes: list[BlockChange]
    scope: str  # "content" or "document"


@dataclass(frozen=True, eq=False)
class _Atom:
    """The unit of comparison: one character of a w:t, or one other run element."""

    key: str
    node: Any  # the w:t holding the character, or the element itself
    run: Any  # the w:r it belongs to, None for paragraph-level elements (bookmarks)
    char: str | None = None


@dataclass(frozen=True, eq=False)
class _Token:
    """Atoms compared as one unit (a CJK character, a Latin word, a number, an object)."""

    key: str
    atoms: tuple[_Atom, ...]


class _Side:
    """One rendering: its document, styles and the atoms of each paragraph (cached)."""

    def __init__(self, data: bytes):
        self.document: DocxDocument = open_docx(io.BytesIO(data))
        self.part = self.document.part
        self.style_names = {s.style_id: s.name or "" for s in self.document.styles}
        self._atoms: dict[Any, list[_Atom]] = {}
        self._keys: dict[Any, str] = {}

    def style(self, p: Any) -> str:
        """Name of a paragraph's style ("" when it has none)."""
        ref = p.find(f"{_PPR}/{qn('w:pStyle')}")
        return self.style_names.get(ref.get(qn("w:val")), "") if ref is not None else ""

    def atoms(self, p: Any) -> list[_Atom]:
        """The atoms of a paragraph in reading order."""
        if p not in self._atoms:
            found: list[_Atom] = []
            for child in p:
                if child.tag == _PPR:
                    continue
                if child.tag != _R:
                    found.append(_Atom(f"{_OBJECT}{etree.QName(child).localname}", child, None))
                    continue
                for part in child:
                    if part.tag in _SKIPPED:
                        continue
                    if part.tag == _T:
                        found.extend(_Atom(c, part, child, c) for c in part.text or "")
                    else:
                        found.append(_Atom(self._object_key(part), part, child))
            self._atoms[p] = found
        return self._atoms[p]

    def _object_key(self, node: Any) -> str:
        name = etree.QName(node).localname
        if name == "tab":
            return "\t"
        if name in ("br", "cr") and node.get(qn("w:type")) in (None, "textWrapping"):
            return "\n"
        if name == "drawing":
            blobs = [self.part.related_parts[rid].blob for rid in node.xpath(".//@r:embed")]
            return f"{_OBJECT}picture:{hashlib.sha256(b''.join(blobs)).hexdigest()}"
        detail = node.get(qn("w:type")) or node.get(qn("w:fldCharType")) or node.text or ""
        return f"{_OBJECT}{name}:{detail}"

    def text(self, block: Any) -> str:
        """Readable text of a paragraph (pictures and field codes left out)."""
        return "".join(a.key for a in self.atoms(block) if not a.key.startswith(_OBJECT))

    def key(self, block: Any) -> str:
        """What block alignment compares: type and full content."""
        if block not in self._keys:
            if block.tag == _P:
                self._keys[block] = "p\x1d" + "".join(a.key for a in self.atoms(block))
            elif block.tag == _TBL:
                self._keys[block] = "t\x1d" + "\x1e".join(self.row_key(r) for r in block.iter(_TR))
            else:
                self._keys[block] = "x\x1d" + etree.tostring(block, encoding="unicode")
        return self._keys[block]

    def row_key(self, tr: Any) -> str:
        """A row's content: its cells' block keys."""
        return "\x1e".join("\x1f".join(self.key(b) for b in tc if b.tag != _TCPR) for tc in tr.findall(_TC))

    def cells(self, tr: Any) -> tuple[str, ...]:
        """Readable text of each cell of a row."""
        return tuple("\n".join(self.text(p) for p in tc.iter(_P)) for tc in tr.findall(_TC))


def _ratio(a: str, b: str, threshold: float) -> float:
    """Similarity of two texts, or -1 when it is below `threshold`."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return -1.0
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else -1.0


def _pair_stretch(olds: Sequence[_Block], news: Sequence[_Block], similar: Callable[[_Block, _Block], float]
                  ) -> list[tuple[_Block | None, _Block | None]]:
    """Pair blocks of a changed stretch monotonically for the best total similarity.

    `similar` gives a score, or a negative number when two blocks must not be paired. Unpaired
    blocks are removed (listed before) or added (listed after) between the pairs.
    """
    m, n = len(olds), len(news)
    if not m or not n or m * n > _MAX_PAIRING:
        return [(o, None) for o in olds] + [(None, x) for x in news]
    score = [[similar(o, x) for x in news] for o in olds]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in reversed(range(m)):
        for j in reversed(range(n)):
            value = max(best[i + 1][j], best[i][j + 1])
            if score[i][j] >= 0:
                value = max(value, score[i][j] + best[i + 1][j + 1])
            best[i][j] = value
    pairs: list[tuple[_Block | None, _Block | None]] = []
    removed: list[_Block] = []
    added: list[_Block] = []
    i = j = 0
    while i < m and j < n:
        if score[i][j] >= 0 and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs += [(o, None) for o in removed] + [(None, x) for x in added] + [(olds[i], news[j])]
            removed, added = [], []
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            removed.append(olds[i])
            i += 1
        else:
            added.append(news[j])
            j += 1
    removed += olds[i:]
    added += news[j:]
    return pairs + [(o, None) for o in removed] + [(None, x) for x in added]


def align(olds: Sequence[_Block], news: Sequence[_Block], key_old: Callable[[_Block], str],
          key_new: Callable[[_Block], str], similar: Callable[[_Block, _Block], float]
          ) -> list[tuple[_Block | None, _Block | None]]:
    """Align two block sequences: equal keys pair up, changed stretches pair by similarity."""
    matcher = SequenceMatcher(None, [key_old(b) for b in olds], [key_new(b) for b in news], autojunk=False)
    pairs: list[tuple[_Block | None, _Block | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += list(zip(olds[i1:i2], news[j1:j2]))
        else:
            pairs += _pair_stretch(olds[i1:i2], news[j1:j2], similar)
    return pairs


def _is_word(char: str | None) -> bool:
    return char is not None and char.isascii() and char.isalnum()


def tokens(atoms: Sequence[_Atom]) -> list[_Token]:
    """One token per CJK character, punctuation mark or object; one per Latin word or number."""
    found: list[list[_Atom]] = []
    for atom in atoms:
        if _is_word(atom.char) and found and _is_word(found[-1][-1].char):
            found[-1].append(atom)
        else:
            found.append([atom])
    return [_Token("".join(a.key for a in group), tuple(group)) for group in found]


def split_tokens(text: str) -> list[str]:
    """Plain text split the way paragraphs are compared (see `tokens`)."""
    found: list[str] = []
    for char in text:
        if _is_word(char) and found and _is_word(found[-1][-1]):
            found[-1] += char
        else:
            found.append(char)
    return found


def _size(toks: Sequence[_Token]) -> int:
    return sum(len(t.atoms) for t in toks)


def _fold(ops: list[tuple[str, int, int, int, int]], old: list[_Token], new: list[_Token]
          ) -> list[tuple[str, int, int, int, int]]:
    """Join two edits separated by a common fragment no longer than either edit (at most FOLD_ATOMS)."""
    ops = list(ops)
    k = 1
    while k < len(ops) - 1:
        tag, i1, i2, _, _ = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        size = _size(old[i1:i2])
        if (tag == "equal" and before[0] != "equal" and after[0] != "equal" and size <= FOLD_ATOMS
                and size <= max(_size(old[before[1]:before[2]]), _size(new[before[3]:before[4]]))
                and size <= max(_size(old[after[1]:after[2]]), _size(new[after[3]:after[4]]))):
            ops[k - 1:k + 2] = [("replace", before[1], after[2], before[3], after[4])]
            k = max(k - 1, 1)
        else:
            k += 1
    return ops


def segments(old: Sequence[_Atom], new: Sequence[_Atom]) -> list[tuple[str, list[_Atom], list[_Atom]]]:
    """("equal" | "delete" | "insert", old atoms, new atoms) in reading order."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [t.key for t in old_tokens], [t.key for t in new_tokens], autojunk=False)
    found: list[tuple[str, list[_Atom], list[_Atom]]] = []
    for tag, i1, i2, j1, j2 in _fold(matcher.get_opcodes(), old_tokens, new_tokens):
        gone = [a for t in old_tokens[i1:i2] for a in t.atoms]
        came = [a for t in new_tokens[j1:j2] for a in t.atoms]
        if tag == "equal":
            found.append(("equal", gone, came))
            continue
        if gone:
            found.append(("delete", gone, []))
        if came:
            found.append(("insert", [], came))
    return found


def _rpr(atom: _Atom) -> Any:
    return atom.run.find(_RPR) if atom.run is not None else None


def _xml(node: Any) -> bytes:
    return etree.tostring(node) if node is not None else b""


def _shallow(node: Any) -> Any:
    return node.makeelement(node.tag, dict(node.attrib))


def _template_body(template: Path) -> list[Any]:
    with zipfile.ZipFile(template) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return list(root.find(qn("w:body")))


def _placeholder(node: Any) -> str | None:
    match = _PLACEHOLDER.search("".join(node.itertext())) if node.tag == _P else None
    return match.group(1) if match else None


def _signature(node: Any) -> tuple[str, str]:
    style = node.find(f"{_PPR}/{qn('w:pStyle')}") if node.tag == _P else None
    return node.tag, style.get(qn("w:val")) if style is not None else ""


def content_span(side: _Side, template: list[Any]) -> tuple[int, int] | None:
    """Where the YAML/Markdown content sits among the body elements, by the template's layout.

    None when the rendering does not follow the template. The table of contents, derived from the
    headings, is left out with the fixed elements that follow it.
    """
    body = list(side.document.element.body)
    marks = [i for i, node in enumerate(template) if _placeholder(node)]
    if not marks:
        return None
    first, last = marks[0], marks[-1]
    tail = len(template) - last - 1
    if len(body) < first + tail:
        return None
    start, end = first, len(body) - tail
    if [_signature(n) for n in body[:first]] != [_signature(n) for n in template[:first]] or \
            [_signature(n) for n in body[end:]] != [_signature(n) for n in template[last + 1:]]:
        return None
    if _placeholder(template[first]) == "toc":
        while start < end and body[start].tag == _P and _TOC.fullmatch(side.style(body[start])):
            start += 1
        fixed = template[first + 1:marks[1]] if len(marks) > 1 else []
        if [_signature(n) for n in body[start:start + len(fixed)]] != [_signature(n) for n in fixed]:
            return None
        start += len(fixed)
    return start, end


class _Writer:
    """Builds the redline body from two renderings and records what changed."""

    def __init__(self, old: _Side, new: _Side, author: str, when: date | None):
        self.old, self.new = old, new
        self.attrs = {qn("w:author"): author}
        if when is not None:
            self.attrs[qn("w:date")] = f"{when.isoformat()}T00:00:00Z"
        ids = [int(v) for v in new.document.element.xpath("//@w:id") if v.lstrip("-").isdigit()]
        self.next_id = max(ids, default=0) + 1
        self.num_map: dict[str, str] = {}
        self.from_old: list[Any] = []  # copied old elements whose numbering/picture references need remapping
        self.changes: list[BlockChange] = []
        self.section = ""
        self.formatted = False

    # -- markup ---------------------------------------------------------------------------------

    def mark(self, tag: str) -> Any:
        """A new w:ins/w:del/w:rPrChange/... element with a fresh id, the author and the date."""
        node = OxmlElement(f"w:{tag}")
        node.set(qn("w:id"), str(self.next_id))
        for name, value in self.attrs.items():
            node.set(name, value)
        self.next_id += 1
        return node

    def _mark_paragraph(self, p: Any, tag: str) -> None:
        """Mark a paragraph's mark (the paragraph break) inserted or deleted."""
        ppr = _paragraph_properties(p)
        rpr = ppr.find(_RPR)
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            after = [c for c in ppr if c.tag in (_SECTPR, _PPRCHANGE)]
            if after:
                after[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.mark(tag))

    def _paragraph_mark(self, p: Any) -> Any:
        rpr = p.find(f"{_PPR}/{_RPR}")
        if rpr is None:
            return None
        return next((c for c in rpr if c.tag in (qn("w:ins"), qn("w:del"))), None)

    # -- paragraphs -----------------------------------------------------------------------------

    def _ppr_key(self, ppr: Any, side: _Side) -> bytes:
        if ppr is None:
            return b""
        ppr = copy.deepcopy(ppr)
        for child in list(ppr):
            if child.tag in (_RPR, _SECTPR, _PPRCHANGE):
                ppr.remove(child)
        if side is self.old:
            for num in ppr.iter(_NUMID):
                num.set(qn("w:val"), self.num_map.get(num.get(qn("w:val")), "old:" + num.get(qn("w:val"))))
        return etree.tostring(ppr)

    def _run(self, source: Any, atoms: list[_Atom], deleted: bool, old_rpr: Any = None, reformatted: bool = False) -> Any:
        run = _shallow(source)
        rpr = source.find(_RPR)
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        if reformatted:
            if rpr is None:
                run.insert(0, OxmlElement("w:rPr"))
            change = self.mark("rPrChange")
            before = etree.SubElement(change, _RPR)
            for child in old_rpr if old_rpr is not None else ():
                if child.tag != _RPRCHANGE:
                    before.append(copy.deepcopy(child))
            run.find(_RPR).append(change)
        text: list[str] = []

        def flush() -> None:
            if text:
                node = etree.SubElement(run, qn("w:delText") if deleted else _T)
                node.text = "".join(text)
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                text.clear()

        for atom in atoms:
            if atom.char is not None:
                text.append(atom.char)
                continue
            flush()
            node = copy.deepcopy(atom.node)
            if deleted and node.tag == qn("w:instrText"):
                node.tag = qn("w:delInstrText")
            run.append(node)
        flush()
        if deleted:
            self.from_old.append(run)
        return run

    def _content(self, parts: list[tuple[str, list[_Atom], list[_Atom]]]) -> list[Any]:
        """Runs (wrapped in w:ins/w:del where changed) for a paragraph's segments."""
        pieces: list[tuple[str | None, Any]] = []  # (change kind, element)
        for op, gone, came in parts:
            if op == "equal":
                pieces += [(None, element) for element in self._equal(gone, came)]
                continue
            atoms = gone or came
            deleted = op == "delete"
            run_group: list[_Atom] = []
            for atom in atoms:
                if atom.run is None:
                    if not deleted:
                        pieces.append((None, copy.deepcopy(atom.node)))
                    continue
                if run_group and run_group[-1].run is not atom.run:
                    pieces.append((op, self._run(run_group[-1].run, run_group, deleted)))
                    run_group = []
                run_group.append(atom)
            if run_group:
                pieces.append((op, self._run(run_group[-1].run, run_group, deleted)))
        out: list[Any] = []
        wrapper, kind = None, None
        for change, element in pieces:
            if change is None:
                out.append(element)
                wrapper, kind = None, None
                continue
            if change != kind:
                wrapper = self.mark("ins" if change == "insert" else "del")
                out.append(wrapper)
                kind = change
            wrapper.append(element)
        return out

    def _equal(self, gone: list[_Atom], came: list[_Atom]) -> list[Any]:
        """Unchanged text as the newer revision's runs; w:rPrChange where its formatting changed."""
        out = []
        start = 0
        for k in range(1, len(came) + 1):
            if (k < len(came) and came[k].run is not None and came[k].run is came[start].run
                    and _xml(_rpr(gone[k])) == _xml(_rpr(gone[start]))):
                continue
            if came[start].run is None:
                out.append(copy.deepcopy(came[start].node))
            else:
                old_rpr = _rpr(gone[start])
                reformatted = _xml(old_rpr) != _xml(_rpr(came[start]))
                self.formatted = self.formatted or reformatted
                out.append(self._run(came[start].run, came[start:k], False, old_rpr, reformatted))
            start = k
        return out

    def paragraph(self, old: Any, new: Any) -> Any:
        """A paired, added (old None) or removed (new None) paragraph with its changes marked."""
        base = new if new is not None else old
        out = _shallow(base)
        ppr = base.find(_PPR)
        if ppr is not None:
            out.append(copy.deepcopy(ppr))
            if new is None:
                self.from_old.append(out[0])
        if old is not None and new is not None:
            self._map_numbering(old.find(_PPR), new.find(_PPR))
            if self._ppr_key(old.find(_PPR), self.old) != self._ppr_key(ppr, self.new):
                self._record_ppr_change(out, old.find(_PPR))
            parts = segments(self.old.atoms(old), self.new.atoms(new))
        elif new is not None:
            parts = [("insert", [], self.new.atoms(new))]
        else:
            parts = [("delete", self.old.atoms(old), [])]
        for element in self._content(parts):
            out.append(element)
        if old is None:
            self._mark_paragraph(out, "ins")
        elif new is None:
            self._mark_paragraph(out, "del")
        return out

    def _record_ppr_change(self, out: Any, old_ppr: Any) -> None:
        ppr = _paragraph_properties(out)
        change = self.mark("pPrChange")
        before = etree.SubElement(change, _PPR)
        for child in old_ppr if old_ppr is not None else ():
            if child.tag not in (_RPR, _SECTPR, _PPRCHANGE):
                before.append(copy.deepcopy(child))
        ppr.append(change)
        self.from_old.append(before)
        self.formatted = True

    def _map_numbering(self, old_ppr: Any, new_ppr: Any) -> None:
        old_num = old_ppr.find(f"{qn('w:numPr')}/{_NUMID}") if old_ppr is not None else None
        new_num = new_ppr.find(f"{qn('w:numPr')}/{_NUMID}") if new_ppr is not None else None
        if old_num is not None and new_num is not None:
            self.num_map.setdefault(old_num.get(qn("w:val")), new_num.get(qn("w:val")))

    # -- tables ---------------------------------------------------------------------------------

    def table(self, old: Any, new: Any, record: bool) -> Any:
        """A paired, added or removed table; rows aligned, paired rows compared cell by cell."""
        base = new if new is not None else old
        out = _shallow(base)
        for child in base:
            if child.tag != _TR:
                out.append(copy.deepcopy(child))
        old_rows = old.findall(_TR) if old is not None else []
        new_rows = new.findall(_TR) if new is not None else []
        label = " | ".join((self.new if new is not None else self.old).cells(base.find(_TR))) if base.find(_TR) is not None else ""

        def similar(a: Any, b: Any) -> float:
            if len(a.findall(_TC)) != len(b.findall(_TC)):
                return -1.0
            return _ratio(self.old.row_key(a), self.new.row_key(b), ROW_SIMILARITY)

        for before, after in align(old_rows, new_rows, self.old.row_key, self.new.row_key, similar):
            out.append(self.row(before, after))
            if not record:
                continue
            old_cells = self.old.cells(before) if before is not None else None
            new_cells = self.new.cells(after) if after is not None else None
            if before is None:
                self.changes.append(BlockChange("row", "added", self.section, None, new_cells, label))
            elif after is None:
                self.changes.append(BlockChange("row", "removed", self.section, old_cells, None, label))
            elif old_cells != new_cells:
                self.changes.append(BlockChange("row", "changed", self.section, old_cells, new_cells, label))
        return out

    def row(self, old: Any, new: Any) -> Any:
        """A paired, added (w:trPr/w:ins) or removed (w:trPr/w:del) row."""
        base = new if new is not None else old
        out = _shallow(base)
        for child in base:
            if child.tag != _TC:
                out.append(copy.deepcopy(child))
        if old is None or new is None:
            trpr = out.find(_TRPR)
            if trpr is None:
                trpr = OxmlElement("w:trPr")
                prex = out.find(qn("w:tblPrEx"))
                out.insert(1 if prex is not None else 0, trpr)
            trpr.append(self.mark("ins" if old is None else "del"))
        old_cells = old.findall(_TC) if old is not None else [None] * len(new.findall(_TC))
        new_cells = new.findall(_TC) if new is not None else [None] * len(old.findall(_TC))
        for before, after in zip(old_cells, new_cells):
            cell = after if after is not None else before
            tc = _shallow(cell)
            tcpr = cell.find(_TCPR)
            if tcpr is not None:
                tc.append(copy.deepcopy(tcpr))
            blocks_old = [b for b in before if b.tag != _TCPR] if before is not None else []
            blocks_new = [b for b in after if b.tag != _TCPR] if after is not None else []
            for element in self.blocks(blocks_old, blocks_new, record=False, at_end=True):
                tc.append(element)
            out.append(tc)
        return out

    # -- block sequences ------------------------------------------------------------------------

    def _similar(self, a: Any, b: Any) -> float:
        if a.tag != b.tag or a.tag not in (_P, _TBL):
            return -1.0
        return _ratio(self.old.key(a), self.new.key(b), PARAGRAPH_SIMILARITY if a.tag == _P else TABLE_SIMILARITY)

    def blocks(self, old: list[Any], new: list[Any], record: bool, at_end: bool) -> list[Any]:
        """The merged block sequence of a container (body content or a table cell)."""
        pairs = align(old, new, self.old.key, self.new.key, self._similar)
        if at_end:
            pairs = _pair_last_paragraphs(pairs)
        out = []
        for before, after in pairs:
            self.formatted = False
            tag = (after if after is not None else before).tag
            if tag == _P:
                out.append(self.paragraph(before, after))
                if record:
                    self._record_paragraph(before, after)
            elif tag == _TBL:
                out.append(self.table(before, after, record))
            elif after is not None:
                out.append(copy.deepcopy(after))
        if at_end:
            self._carry_last_mark(out)
        return out

    def _record_paragraph(self, old: Any, new: Any) -> None:
        heading = new if new is not None else old
        side = self.new if new is not None else self.old
        if _HEADING.fullmatch(side.style(heading)):
            self.section = side.text(heading)
        old_text = self.old.text(old) if old is not None else None
        new_text = self.new.text(new) if new is not None else None
        if old is None or new is None:
            if (old_text or new_text or "").strip():
                self.changes.append(BlockChange("paragraph", "added" if old is None else "removed",
                                                self.section, old_text, new_text))
        elif self.old.key(old) != self.new.key(new):
            self.changes.append(BlockChange("paragraph", "changed", self.section, old_text, new_text))
        elif self.formatted:
            self.changes.append(BlockChange("paragraph", "formatted", self.section, old_text, new_text))

    def _carry_last_mark(self, out: list[Any]) -> None:
        """A container's last paragraph mark cannot change: the one before it carries the change."""
        if not out or out[-1].tag != _P:
            return
        mark = self._paragraph_mark(out[-1])
        if mark is None:
            return
        holder = mark.getparent()
        holder.remove(mark)
        if len(holder) == 0:
            holder.getparent().remove(holder)
        if len(out) > 1 and out[-2].tag == _P and self._paragraph_mark(out[-2]) is None:
            self._mark_paragraph(out[-2], etree.QName(mark).localname)

    # -- references of copied old content -------------------------------------------------------

    def remap(self) -> None:
        """Point copied old content at the new package: list numbering, pictures, drawing ids."""
        copies_lists = any(True for root in self.from_old for _ in root.iter(_NUMID))
        new_numbering = self.new.part.numbering_part.element if copies_lists else None
        doc_ids = [int(v) for v in self.new.document.element.xpath("//wp:docPr/@id")]
        next_doc_id = max(doc_ids, default=0) + 1
        for root in self.from_old:
            for num in root.iter(_NUMID):
                value = num.get(qn("w:val"))
                if value not in self.num_map:
                    self.num_map[value] = _copy_numbering(self.old.part.numbering_part.element, new_numbering, value)
                num.set(qn("w:val"), self.num_map[value])
            for node in root.iter():
                for name, value in list(node.attrib.items()):
                    if name.startswith(f"{{{_R_NS}}}"):
                        node.set(name, self._relate(value))
                if node.tag == _DOCPR:
                    node.set("id", str(next_doc_id))
                    next_doc_id += 1

    def _relate(self, rid: str) -> str:
        rel = self.old.part.rels[rid]
        if rel.is_external:
            return self.new.part.relate_to(rel.target_ref, rel.reltype, is_external=True)
        if rel.reltype != RT.IMAGE:
            kind = rel.reltype.rsplit("/", 1)[-1]
            raise UsageError(f"error: the older revision has a removed {kind} object the redline cannot carry")
        rid_new, _ = self.new.part.get_or_add_image(io.BytesIO(rel.target_part.blob))
        return rid_new


def _pair_last_paragraphs(pairs: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """At the end of a container, a removed last paragraph and an added last one become a pair."""
    tail = len(pairs)
    while tail and (pairs[tail - 1][0] is None or pairs[tail - 1][1] is None):
        tail -= 1
    removed = [k for k in range(tail, len(pairs)) if pairs[k][1] is None]
    added = [k for k in range(tail, len(pairs)) if pairs[k][0] is None]
    if not removed or not added:
        return pairs
    last_old, last_new = pairs[removed[-1]][0], pairs[added[-1]][1]
    if last_old.tag != _P or last_new.tag != _P:
        return pairs
    kept = [p for k, p in enumerate(pairs) if k not in (removed[-1], added[-1])]
    return kept + [(last_old, last_new)]


def _copy_numbering(old_numbering: Any, new_numbering: Any, num_id: str) -> str:
    """Copy list definition `num_id` of the old numbering part into the new one; its new id."""
    num = old_numbering.xpath(f"w:num[@w:numId='{num_id}']")[0]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = copy.deepcopy(old_numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']")[0])
    new_abstract = str(max((int(v) for v in new_numbering.xpath("w:abstractNum/@w:abstractNumId")), default=0) + 1)
    new_num = str(max((int(v) for v in new_numbering.xpath("w:num/@w:numId")), default=0) + 1)
    abstract.set(qn("w:abstractNumId"), new_abstract)
    for child in abstract.findall(qn("w:nsid")):
        abstract.remove(child)
    nums = new_numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        new_numbering.append(abstract)
    copied = copy.deepcopy(num)
    copied.set(qn("w:numId"), new_num)
    copied.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract)
    new_numbering.append(copied)
    return new_num


def redline(old_docx: bytes, new_docx: bytes, author: str, when: date | None, template: Path | None = None) -> Redline:
    """Compare two renderings of one document; the newer one with tracked changes.

    `author` and `when` label every change (w:author, w:date; no date attribute when None).
    `template` is the document kind's template, which locates the compared content; without it,
    or when a rendering does not follow it, the whole body is compared.
    """
    old, new = _Side(old_docx), _Side(new_docx)
    layout = _template_body(template) if template is not None else []
    spans = (content_span(old, layout), content_span(new, layout)) if layout else (None, None)
    new_body = new.document.element.body
    new_children = list(new_body)
    old_children = list(old.document.element.body)
    if spans[0] is not None and spans[1] is not None:
        scope = "content"
        (old_start, old_end), (new_start, new_end) = spans
    else:
        scope = "document"
        old_start, old_end = 0, len([c for c in old_children if c.tag != _SECTPR])
        new_start, new_end = 0, len([c for c in new_children if c.tag != _SECTPR])
    at_end = all(c.tag == _SECTPR for c in new_children[new_end:])
    writer = _Writer(old, new, author, when)
    merged = writer.blocks(old_children[old_start:old_end], new_children[new_start:new_end], record=True, at_end=at_end)
    writer.remap()
    anchor = new_children[new_start - 1] if new_start else None
    for child in new_children[new_start:new_end]:
        new_body.remove(child)
    for offset, element in enumerate(merged):
        if anchor is None:
            new_body.insert(offset, element)
        else:
            anchor.addnext(element)
            anchor = element
    core = new.document.core_properties
    props = CoreProperties(title=core.title, subject=core.subject, creator=core.author, keywords=core.keywords,
                           when=core.created or CoreProperties.when)
    return Redline(docx_bytes(new.document, props, lean=False), _moves(writer.changes), scope)


def _moves(changes: list[BlockChange]) -> list[BlockChange]:
    """A removed paragraph added again unchanged elsewhere is one move."""
    result = list(changes)
    for index, change in enumerate(changes):
        if change.kind != "paragraph" or change.action != "removed":
            continue
        twin = next((c for c in result if c.kind == "paragraph" and c.action == "added" and c.new == change.old), None)
        if twin is None:
            continue
        result[result.index(change)] = BlockChange("paragraph", "moved", twin.section, change.old, twin.new)
        result.remove(twin)
    return result
