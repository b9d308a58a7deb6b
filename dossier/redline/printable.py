"""The redline as reviewers sign it: tracked changes drawn as formatting, for the PDF.

LibreOffice prints a tracked-changes document in its "show changes" view, which numbers list
items as no document does ("3.[2.] …": the new number, then the old one in brackets) and draws a
change bar beside the paragraph after an inserted one. The .docx keeps the real tracked changes
(accept or reject them in Word); the PDF is converted from this copy instead, in which

- inserted text is underlined in blue, deleted text struck through in red, both in place;
- list items number as in the newer revision, and a deleted item shows its old number struck
  through with its text (it no longer counts in the list);
- a change bar (a line in the left margin) marks exactly the paragraphs with a change in them:
  inserted or deleted text, changed formatting, an added or removed paragraph or table row.

Accepting every change of this copy's text gives the newer revision, as the .docx does.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from dossier.redline.tags import NUMID, PPR, PPRCHANGE, RPR, RPRCHANGE, TR, TRPR, P, R, T

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
INS, DEL = f"{{{W}}}ins", f"{{{W}}}del"
INSERTED_COLOUR, DELETED_COLOUR, BAR_COLOUR = "0033CC", "C00000", "000000"
BAR = f'<w:left xmlns:w="{W}" w:val="single" w:sz="12" w:space="6" w:color="{BAR_COLOUR}"/>'
# w:rPr children that come after w:color / w:strike / w:u in schema order
_AFTER_STRIKE = ("dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
                 "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
                 "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_PPR_BEFORE_PBDR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
                    "suppressLineNumbers")
_FORMATS = {"decimal": str, "lowerLetter": lambda n: _letters(n).lower(), "upperLetter": lambda n: _letters(n),
            "lowerRoman": lambda n: _roman(n).lower(), "upperRoman": lambda n: _roman(n)}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def _roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in values:
        while number >= value:
            text, number = text + letters, number - value
    return text


def _insert_ordered(parent, child, after: tuple[str, ...], prefix: bool = True) -> None:
    """Insert `child` into `parent` before the first existing child named in `after` (else at the end)."""
    names = {_w(name) for name in after}
    for index, existing in enumerate(parent):
        if existing.tag in names:
            parent.insert(index, child)
            return
    parent.append(child)


def _run_properties(run):
    rpr = run.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        run.insert(0, rpr)
    return rpr


def _mark_run(run, deleted: bool) -> None:
    """Draw a run as inserted (blue, underlined) or deleted (red, struck through)."""
    for node in run.iter(_w("delText"), _w("delInstrText")):
        node.tag = T if node.tag == _w("delText") else _w("instrText")
    rpr = _run_properties(run)
    for tag in ("color", "strike", "dstrike", "u"):
        for old in rpr.findall(_w(tag)):
            rpr.remove(old)
    if deleted:
        _insert_ordered(rpr, etree.Element(_w("strike")), _AFTER_STRIKE)
    colour = etree.Element(_w("color"))
    colour.set(_w("val"), DELETED_COLOUR if deleted else INSERTED_COLOUR)
    _insert_ordered(rpr, colour, _AFTER_STRIKE[_AFTER_STRIKE.index("color") + 1:])
    if not deleted:
        underline = etree.Element(_w("u"))
        underline.set(_w("val"), "single")
        _insert_ordered(rpr, underline, _AFTER_STRIKE[_AFTER_STRIKE.index("u") + 1:])


def _unwrap(wrapper) -> None:
    parent = wrapper.getparent()
    index = parent.index(wrapper)
    for offset, child in enumerate(list(wrapper)):
        parent.insert(index + offset, child)
    parent.remove(wrapper)


class _Numbers:
    """List numbers as the older revision counted them, for deleted items."""

    def __init__(self, numbering) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        if numbering is not None:
            abstracts = {a.get(_w("abstractNumId")): a for a in numbering.iterfind(_w("abstractNum"))}
            for num in numbering.iterfind(_w("num")):
                ref = num.find(_w("abstractNumId"))
                abstract = abstracts.get(ref.get(_w("val"))) if ref is not None else None
                for lvl in abstract.iterfind(_w("lvl")) if abstract is not None else ():
                    fmt, text, start = (lvl.find(_w(tag)) for tag in ("numFmt", "lvlText", "start"))
                    self.levels[(num.get(_w("numId")), int(lvl.get(_w("ilvl"))))] = (
                        fmt.get(_w("val")) if fmt is not None else "decimal", text.get(_w("val")) if text is not None else "",
                        int(start.get(_w("val"))) if start is not None else 1)
        self.counts: dict[str, list[int]] = {}

    def count(self, num_id: str, level: int) -> str:
        """Count an item of the older revision; the number it showed there."""
        counts = self.counts.setdefault(num_id, [0] * 9)
        counts[level] += 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        fmt, text, _ = self.levels.get((num_id, level), ("decimal", f"%{level + 1}.", 1))
        if fmt == "bullet":
            return text
        for index in range(level, -1, -1):
            shown_fmt, _, start = self.levels.get((num_id, index), ("decimal", "", 1))
            value = counts[index] + start - 1
            text = text.replace(f"%{index + 1}", _FORMATS.get(shown_fmt, str)(max(value, 1)))
        return text


def _mark(p) -> str | None:
    """"ins"/"del" when the paragraph's mark is tracked as inserted or deleted."""
    rpr = p.find(f"{PPR}/{RPR}")
    for child in rpr if rpr is not None else ():
        if child.tag in (INS, DEL):
            return "ins" if child.tag == INS else "del"
    return None


def _whole(p, tag: str) -> bool:
    """True when every piece of text of the paragraph sits in `tag` (w:ins or w:del)."""
    runs = [r for r in p.iter(R) if r.find(T) is not None or r.find(_w("delText")) is not None]
    return all(r.getparent().tag == tag for r in runs)


def _changed(p) -> bool:
    if any(node.getparent().tag != RPR for node in p.iter(INS, DEL)):
        return True
    if next(p.iter(RPRCHANGE, PPRCHANGE), None) is not None:
        return True
    mark = _mark(p)
    if mark is not None and _whole(p, INS if mark == "ins" else DEL):
        return True
    row = next(p.iterancestors(TR), None)
    return row is not None and row.find(f"{TRPR}/{{{W}}}ins") is not None or (
        row is not None and row.find(f"{TRPR}/{{{W}}}del") is not None)


def _change_bar(p) -> None:
    ppr = p.find(PPR)
    if ppr is None:
        ppr = etree.Element(PPR)
        p.insert(0, ppr)
    borders = ppr.find(_w("pBdr"))
    if borders is None:
        borders = etree.Element(_w("pBdr"))
        names = {_w(name) for name in _PPR_BEFORE_PBDR}
        position = sum(1 for child in ppr if child.tag in names)
        ppr.insert(position, borders)
    if borders.find(_w("left")) is None:
        _insert_ordered(borders, etree.fromstring(BAR), ("bottom", "right", "between", "bar"))


def _paragraph(p, numbers: _Numbers) -> None:
    changed, mark = _changed(p), _mark(p)
    deleted_item = mark == "del" and _whole(p, DEL)
    num_id = p.find(f"{PPR}/{{{W}}}numPr/{NUMID}")
    level = p.find(f"{PPR}/{{{W}}}numPr/{{{W}}}ilvl")
    if num_id is not None and not (mark == "ins" and _whole(p, INS)):
        shown = numbers.count(num_id.get(_w("val")), int(level.get(_w("val"))) if level is not None else 0)
        if deleted_item:  # it no longer counts in the list: its old number becomes struck-through text
            num_id.set(_w("val"), "0")  # numbering off (numId 0), also against a list style's own numbering
            if level is not None:
                level.getparent().remove(level)
            run = etree.Element(R)
            text = etree.SubElement(run, T)
            text.text = f"{shown}\t"
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            _mark_run(run, deleted=True)
            p.insert(1, run)
    for wrapper in [node for node in p.iter(INS, DEL) if node.getparent().tag != RPR]:
        for run in wrapper.iter(R):
            _mark_run(run, deleted=wrapper.tag == DEL)
        _unwrap(wrapper)
    for node in [*p.iter(RPRCHANGE, PPRCHANGE), *(n for n in p.iter(INS, DEL) if n.getparent().tag == RPR)]:
        node.getparent().remove(node)
    if changed:
        _change_bar(p)


def printable(docx: bytes) -> bytes:
    """The redline `.docx` with its tracked changes drawn as formatting (see the module docstring)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        parts = {info.filename: (info, source.read(info.filename)) for info in source.infolist()}
    body = etree.fromstring(parts["word/document.xml"][1])
    numbering = etree.fromstring(parts["word/numbering.xml"][1]) if "word/numbering.xml" in parts else None
    numbers = _Numbers(numbering)
    for p in list(body.iter(P)):
        _paragraph(p, numbers)
    for marker in [node for node in body.iter(INS, DEL) if node.getparent().tag == TRPR]:
        marker.getparent().remove(marker)
    parts["word/document.xml"] = (parts["word/document.xml"][0],
                                  etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.values():
            target.writestr(info, data)
    return out.getvalue()
