"""Writing the redline body: paired, added and removed blocks with their changes marked as
`w:ins`/`w:del` (runs, paragraph marks, table rows), `w:rPrChange` and `w:pPrChange`."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from dossier.redline.align import (
    PARAGRAPH_SIMILARITY,
    ROW_SIMILARITY,
    TABLE_SIMILARITY,
    align_blocks,
    pair_last_paragraphs,
    ratio,
)
from dossier.redline.changes import BlockChange
from dossier.redline.read import Atom, Side
from dossier.redline.tags import NUMID, PPR, PPRCHANGE, RPR, RPRCHANGE, SECTPR, TBL, TC, TCPR, TR, TRPR, P, T
from dossier.redline.tokens import segments

_HEADING = re.compile(r"heading \d", re.IGNORECASE)


def _paragraph_properties(p: Any) -> Any:
    """The paragraph's w:pPr, created as its first child when missing."""
    ppr = p.find(PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    return ppr


def _rpr(atom: Atom) -> Any:
    return atom.run.find(RPR) if atom.run is not None else None


def _xml(node: Any) -> bytes:
    return etree.tostring(node) if node is not None else b""


def _reformatted(row: Any) -> bool:
    """True when a written row marks a formatting change (w:rPrChange or w:pPrChange) in a cell."""
    return next(row.iter(RPRCHANGE, PPRCHANGE), None) is not None


def _shallow(node: Any) -> Any:
    return node.makeelement(node.tag, dict(node.attrib))


class Writer:
    """Builds the redline body from two renderings and records what changed."""

    def __init__(self, old: Side, new: Side, author: str, when: date | None):
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
        rpr = ppr.find(RPR)
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            after = [c for c in ppr if c.tag in (SECTPR, PPRCHANGE)]
            if after:
                after[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.mark(tag))

    def _paragraph_mark(self, p: Any) -> Any:
        rpr = p.find(f"{PPR}/{RPR}")
        if rpr is None:
            return None
        return next((c for c in rpr if c.tag in (qn("w:ins"), qn("w:del"))), None)

    # -- paragraphs -----------------------------------------------------------------------------

    def _ppr_key(self, ppr: Any, side: Side) -> bytes:
        if ppr is None:
            return b""
        ppr = copy.deepcopy(ppr)
        for child in list(ppr):
            if child.tag in (RPR, SECTPR, PPRCHANGE):
                ppr.remove(child)
        if side is self.old:
            for num in ppr.iter(NUMID):
                num.set(qn("w:val"), self.num_map.get(num.get(qn("w:val")), "old:" + num.get(qn("w:val"))))
        return etree.tostring(ppr)

    def _run(self, source: Any, atoms: list[Atom], deleted: bool, old_rpr: Any = None, reformatted: bool = False) -> Any:
        run = _shallow(source)
        rpr = source.find(RPR)
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        if reformatted:
            if rpr is None:
                run.insert(0, OxmlElement("w:rPr"))
            change = self.mark("rPrChange")
            before = etree.SubElement(change, RPR)
            for child in old_rpr if old_rpr is not None else ():
                if child.tag != RPRCHANGE:
                    before.append(copy.deepcopy(child))
            run.find(RPR).append(change)
        text: list[str] = []

        def flush() -> None:
            if text:
                node = etree.SubElement(run, qn("w:delText") if deleted else T)
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

    def _content(self, parts: list[tuple[str, list[Atom], list[Atom]]]) -> list[Any]:
        """Runs (wrapped in w:ins/w:del where changed) for a paragraph's segments."""
        pieces: list[tuple[str | None, Any]] = []  # (change kind, element)
        for op, gone, came in parts:
            if op == "equal":
                pieces += [(None, element) for element in self._equal(gone, came)]
                continue
            atoms = gone or came
            deleted = op == "delete"
            run_group: list[Atom] = []
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

    def _equal(self, gone: list[Atom], came: list[Atom]) -> list[Any]:
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
        ppr = base.find(PPR)
        if ppr is not None:
            out.append(copy.deepcopy(ppr))
            if new is None:
                self.from_old.append(out[0])
        if old is not None and new is not None:
            self._map_numbering(old.find(PPR), new.find(PPR))
            if self._ppr_key(old.find(PPR), self.old) != self._ppr_key(ppr, self.new):
                self._record_ppr_change(out, old.find(PPR))
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
        before = etree.SubElement(change, PPR)
        for child in old_ppr if old_ppr is not None else ():
            if child.tag not in (RPR, SECTPR, PPRCHANGE):
                before.append(copy.deepcopy(child))
        ppr.append(change)
        self.from_old.append(before)
        self.formatted = True

    def _map_numbering(self, old_ppr: Any, new_ppr: Any) -> None:
        old_num = old_ppr.find(f"{qn('w:numPr')}/{NUMID}") if old_ppr is not None else None
        new_num = new_ppr.find(f"{qn('w:numPr')}/{NUMID}") if new_ppr is not None else None
        if old_num is not None and new_num is not None:
            self.num_map.setdefault(old_num.get(qn("w:val")), new_num.get(qn("w:val")))

    # -- tables ---------------------------------------------------------------------------------

    def table(self, old: Any, new: Any, record: bool) -> Any:
        """A paired, added or removed table; rows aligned, paired rows compared cell by cell."""
        base = new if new is not None else old
        out = _shallow(base)
        for child in base:
            if child.tag != TR:
                out.append(copy.deepcopy(child))
        old_rows = old.findall(TR) if old is not None else []
        new_rows = new.findall(TR) if new is not None else []
        old_label = " | ".join(self.old.cells(old_rows[0])) if old_rows else ""
        label = " | ".join(self.new.cells(new_rows[0])) if new_rows else old_label

        def similar(a: Any, b: Any) -> float:
            if len(a.findall(TC)) != len(b.findall(TC)):
                return -1.0
            return ratio(self.old.row_key(a), self.new.row_key(b), ROW_SIMILARITY)

        for before, after in align_blocks(old_rows, new_rows, self.old.row_key, self.new.row_key, similar):
            out.append(self.row(before, after))
            if not record:
                continue
            old_cells = self.old.cells(before) if before is not None else None
            new_cells = self.new.cells(after) if after is not None else None
            if before is None:
                self.changes.append(BlockChange("row", "added", self.section, None, new_cells, label))
            elif after is None:
                self.changes.append(BlockChange("row", "removed", self.section, old_cells, None, old_label))
            elif old_cells != new_cells or self.old.row_key(before) != self.new.row_key(after):
                self.changes.append(BlockChange("row", "changed", self.section, old_cells, new_cells, label))
            elif _reformatted(out[-1]):
                self.changes.append(BlockChange("row", "formatted", self.section, old_cells, new_cells, label))
        return out

    def row(self, old: Any, new: Any) -> Any:
        """A paired, added (w:trPr/w:ins) or removed (w:trPr/w:del) row."""
        base = new if new is not None else old
        out = _shallow(base)
        for child in base:
            if child.tag != TC:
                out.append(copy.deepcopy(child))
        if old is None or new is None:
            trpr = out.find(TRPR)
            if trpr is None:
                trpr = OxmlElement("w:trPr")
                prex = out.find(qn("w:tblPrEx"))
                out.insert(1 if prex is not None else 0, trpr)
            trpr.append(self.mark("ins" if old is None else "del"))
        old_cells = old.findall(TC) if old is not None else [None] * len(new.findall(TC))
        new_cells = new.findall(TC) if new is not None else [None] * len(old.findall(TC))
        for before, after in zip(old_cells, new_cells):
            cell = after if after is not None else before
            tc = _shallow(cell)
            tcpr = cell.find(TCPR)
            if tcpr is not None:
                tc.append(copy.deepcopy(tcpr))
            blocks_old = [b for b in before if b.tag != TCPR] if before is not None else []
            blocks_new = [b for b in after if b.tag != TCPR] if after is not None else []
            for element in self.blocks(blocks_old, blocks_new, record=False, at_end=True):
                tc.append(element)
            out.append(tc)
        return out

    # -- block sequences ------------------------------------------------------------------------

    def _similar(self, a: Any, b: Any) -> float:
        if a.tag != b.tag or a.tag not in (P, TBL):
            return -1.0
        return ratio(self.old.align_key(a), self.new.align_key(b), PARAGRAPH_SIMILARITY if a.tag == P else TABLE_SIMILARITY)

    def blocks(self, old: list[Any], new: list[Any], record: bool, at_end: bool) -> list[Any]:
        """The merged block sequence of a container (body content or a table cell); headings pair by
        their text without section numbers (Side.align_key)."""
        pairs = align_blocks(old, new, self.old.align_key, self.new.align_key, self._similar)
        if at_end:
            pairs = pair_last_paragraphs(pairs)
        out = []
        for before, after in pairs:
            self.formatted = False
            tag = (after if after is not None else before).tag
            if tag == P:
                out.append(self.paragraph(before, after))
                if record:
                    self._record_paragraph(before, after)
            elif tag == TBL:
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
        old_text = self.old.shown(old) if old is not None else None
        new_text = self.new.shown(new) if new is not None else None
        if old is None or new is None:
            if (old_text or new_text or "").strip():  # text, a picture or a footnote; not an empty paragraph
                self.changes.append(BlockChange("paragraph", "added" if old is None else "removed", self.section,
                                                old_text, new_text, content=side.align_key(heading)))
        elif self.old.key(old) != self.new.key(new):
            action = "renumbered" if self._renumbered(old, new, old_text, new_text) else "changed"
            self.changes.append(BlockChange("paragraph", action, self.section, old_text, new_text))
        elif self.formatted:
            self.changes.append(BlockChange("paragraph", "formatted", self.section, old_text, new_text))

    def _renumbered(self, old: Any, new: Any, old_text: str, new_text: str) -> bool:
        """Two headings of one level, formatted alike, holding only text (`old_text`/`new_text`, as
        `Side.shown` gives them, have no picture or footnote), whose texts differ only in a section
        number that each has at its place in its own rendering (sections before it were added,
        removed or moved)."""
        if self.formatted or old_text == new_text or self.old.text(old) != old_text or self.new.text(new) != new_text:
            return False
        style = self.new.style(new)
        if not _HEADING.fullmatch(style) or self.old.style(old) != style:
            return False
        before, after = self.old.numbers(old), self.new.numbers(new)
        return any(old_text.startswith(before[s]) and new_text.startswith(after[s])
                   and old_text[len(before[s]):] == new_text[len(after[s]):] for s in before.keys() & after.keys())

    def _carry_last_mark(self, out: list[Any]) -> None:
        """A container's last paragraph mark cannot change: the paragraph before the trailing run of
        paragraphs added (or removed) carries the change, as Word marks text added at the end
        (unchanged¶ᵢₙₛ added¶ᵢₙₛ added¶ — rejecting joins them back into the unchanged paragraph)."""
        if not out or out[-1].tag != P:
            return
        mark = self._paragraph_mark(out[-1])
        if mark is None:
            return
        kind = etree.QName(mark).localname
        holder = mark.getparent()
        holder.remove(mark)
        if len(holder) == 0:
            holder.getparent().remove(holder)
        at = len(out) - 2
        while at >= 0 and out[at].tag == P and (found := self._paragraph_mark(out[at])) is not None \
                and etree.QName(found).localname == kind:
            at -= 1
        if at >= 0 and out[at].tag == P and self._paragraph_mark(out[at]) is None:
            self._mark_paragraph(out[at], kind)
