"""Where a visible signature goes on the page.

"approval": the signature cell of the approval block. The role label (编制/审核/批准) is found
with pypdf's text extraction (a visitor reports each text run's position); the table's ruling
lines in the page content give the cells, and the signature goes into the cell below the label
(labels side by side in one row: 编制 | 审核 | 批准 over a 签名 row) or to its right (labels in
one column). The block holding the most role labels wins over other tables that name a role
(e.g. a revision history with 编制/批准 columns). Without a label the box goes to the last page.
"last-page" / "first-page": the bottom right corner, left of or above existing signatures.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

Box = tuple[float, float, float, float]

APPROVAL_ROLES = frozenset({"编制", "审核", "批准", "会签", "审批", "复核"})
_LABEL_SUFFIXES = ("", "人", "者")
_SAME_LINE = 2.0  # points: text runs on one baseline
_MARGIN = 56.0  # points: distance of corner boxes from the page edge (about 2 cm)
_FOOTER = 72.0  # points: corner boxes stay above the footer
_GAP = 8.0
SEAL_SIZE = (120.0, 120.0)
SIGNATURE_SIZE = (150.0, 45.0)


@dataclass(frozen=True)
class Placement:
    """Page index and box (x1, y1, x2, y2 in PDF points) of a visible signature."""

    page: int
    box: Box


@dataclass(frozen=True)
class _Run:
    text: str
    x: float
    y: float
    size: float

    @property
    def width(self) -> float:
        """Approximate advance: CJK glyphs are one em wide, others about half."""
        wide = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in self.text)
        return wide * self.size

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + 0.35 * self.size


@dataclass(frozen=True)
class _Segment:
    x1: float
    y1: float
    x2: float
    y2: float


def place(data: bytes, position: str, role: str) -> Placement:
    """Placement of a visible signature for `position` ("approval", "last-page", "first-page")."""
    reader = PdfReader(io.BytesIO(data))
    if position == "approval":
        found = _approval_cell(reader, role)
        if found is not None:
            return found
    index = 0 if position == "first-page" else len(reader.pages) - 1
    size = SEAL_SIZE if position == "first-page" else SIGNATURE_SIZE
    return Placement(index, _corner_slot(reader.pages[index], size))


def _approval_cell(reader: PdfReader, role: str) -> Placement | None:
    """The signature cell next to the best `role` label, or None when no label is found."""
    roles = APPROVAL_ROLES | {role}
    best: tuple[tuple, int, _Run, bool] | None = None
    for index, page in enumerate(reader.pages):
        runs = _text_runs(page)
        labelled = [(r, _label(r.text, roles)) for r in runs]
        for run, label in labelled:
            if label != role:
                continue
            in_row = {lab for r, lab in labelled if lab and abs(r.y - run.y) < _SAME_LINE}
            in_column = {lab for r, lab in labelled
                         if lab and abs(r.center[0] - run.center[0]) < 2 * run.size}
            below = len(in_row) >= 2 and len(in_row) >= len(in_column)
            rank = (max(len(in_row), len(in_column)), -index, run.y)
            if best is None or rank > best[0]:
                best = (rank, index, run, below)
    if best is None:
        return None
    _, index, run, below = best
    page = reader.pages[index]
    box = _cell_box(page, run, below) or _beside(page, run, below)
    return Placement(index, box)


def _label(text: str, roles: frozenset[str]) -> str | None:
    """The role a text run labels ("编制", "编制人：" → 编制), or None."""
    core = text.strip().strip("\u3000").rstrip(":：").strip()
    for role in roles:
        if any(core == role + suffix for suffix in _LABEL_SUFFIXES):
            return role
    return None


def _cell_box(page: PageObject, run: _Run, below: bool) -> Box | None:
    """The table cell below / right of the label's cell, from the page's ruling lines."""
    segments = _segments(page)
    label_cell = _cell_at(*run.center, segments)
    if label_cell is None:
        return None
    x1, y1, x2, y2 = label_cell
    target = (_cell_at((x1 + x2) / 2, y1 - 1, segments) if below
              else _cell_at(x2 + 1, (y1 + y2) / 2, segments))
    if target is None or target[2] - target[0] < 20 or target[3] - target[1] < 10:
        return None
    inset = 1.0
    return (target[0] + inset, target[1] + inset, target[2] - inset, target[3] - inset)


def _beside(page: PageObject, run: _Run, below: bool) -> Box:
    """A box under or right of a label that has no ruled cell around it."""
    width, height = SIGNATURE_SIZE
    if below:
        x0 = run.center[0] - width / 2
        top = run.y - 0.5 * run.size
        box = (x0, top - height, x0 + width, top)
    else:
        x0 = run.x + run.width + _GAP
        mid = run.center[1]
        box = (x0, mid - height / 2, x0 + width, mid + height / 2)
    return _clip(box, page)


def _corner_slot(page: PageObject, size: tuple[float, float]) -> Box:
    """The bottom-right-most free slot of `size` that overlaps no existing annotation."""
    left, bottom, right, top = (float(v) for v in page.mediabox)
    width, height = size
    taken = _annotation_rects(page)
    y0 = bottom + _FOOTER
    while y0 + height <= top - _MARGIN:
        x1 = right - _MARGIN
        while x1 - width >= left + _MARGIN:
            box = (x1 - width, y0, x1, y0 + height)
            if not any(_overlap(box, other) for other in taken):
                return box
            x1 -= width + _GAP
        y0 += height + _GAP
    return (right - _MARGIN - width, bottom + _FOOTER, right - _MARGIN, bottom + _FOOTER + height)


def _annotation_rects(page: PageObject) -> list[Box]:
    rects = []
    for annot in page.get("/Annots") or []:
        rect = annot.get_object().get("/Rect")
        if rect is not None:
            x1, y1, x2, y2 = (float(v) for v in rect)
            rects.append((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return rects


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _clip(box: Box, page: PageObject) -> Box:
    left, bottom, right, top = (float(v) for v in page.mediabox)
    x1, y1, x2, y2 = box
    dx = max(0.0, left - x1) - max(0.0, x2 - right)
    dy = max(0.0, bottom - y1) - max(0.0, y2 - top)
    return (x1 + dx, y1 + dy, x2 + dx, y2 + dy)


def _text_runs(page: PageObject) -> list[_Run]:
    """Every non-blank text run of the page with its baseline origin and font size."""
    runs: list[_Run] = []

    def visit(text: str, cm: list, tm: list, _font: object, size: float) -> None:
        if not text.strip():
            return
        a, b, c, d, e, f = _multiply(tm, cm)
        scale = (abs(a * d - b * c)) ** 0.5 or 1.0
        runs.append(_Run(text, e, f, float(size) * scale))

    page.extract_text(visitor_text=visit)
    return runs


def _segments(page: PageObject) -> list[_Segment]:
    """Stroked or filled straight lines and rectangle edges of the page, in page space."""
    contents = page.get_contents()
    if contents is None:
        return []
    stream = ContentStream(contents, page.pdf)
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    path: list[_Segment] = []
    found: list[_Segment] = []
    current = start = (0.0, 0.0)
    for operands, operator in stream.operations:
        op = operator.decode("latin-1")
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "m":
            current = start = _apply(ctm, *operands)
        elif op == "l":
            point = _apply(ctm, *operands)
            path.append(_Segment(*current, *point))
            current = point
        elif op == "h":
            path.append(_Segment(*current, *start))
            current = start
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            corners = [_apply(ctm, x, y), _apply(ctm, x + w, y), _apply(ctm, x + w, y + h),
                       _apply(ctm, x, y + h)]
            path.extend(_Segment(*corners[i], *corners[(i + 1) % 4]) for i in range(4))
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"):
            found.extend(path)
            path = []
        elif op == "n":
            path = []
    return found


def _cell_at(x: float, y: float, segments: list[_Segment]) -> Box | None:
    """The smallest ruled rectangle around (x, y): nearest line on each side, or None."""
    tol = 1.0
    left = right = bottom = top = None
    for s in segments:
        if abs(s.x1 - s.x2) < 0.5 and min(s.y1, s.y2) - tol <= y <= max(s.y1, s.y2) + tol:
            if s.x1 < x and (left is None or s.x1 > left):
                left = s.x1
            if s.x1 > x and (right is None or s.x1 < right):
                right = s.x1
        elif abs(s.y1 - s.y2) < 0.5 and min(s.x1, s.x2) - tol <= x <= max(s.x1, s.x2) + tol:
            if s.y1 < y and (bottom is None or s.y1 > bottom):
                bottom = s.y1
            if s.y1 > y and (top is None or s.y1 < top):
                top = s.y1
    if None in (left, right, bottom, top):
        return None
    return (left, bottom, right, top)


def _multiply(m: list, n: list) -> list[float]:
    """Matrix product m × n of two PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = (float(v) for v in m)
    a2, b2, c2, d2, e2, f2 = (float(v) for v in n)
    return [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]


def _apply(m: list[float], x: object, y: object) -> tuple[float, float]:
    a, b, c, d, e, f = m
    x, y = float(x), float(y)
    return a * x + c * y + e, b * x + d * y + f
