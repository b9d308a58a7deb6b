"""The dashboard: the state of the quality system drawn as inline SVG at build time.

Three panels: documents by state, periodic reviews due per month for the next 12 months (with
those already overdue), and one tile per source of overdue items (`registry.overdue`: reviews
past due, issued copies to recall, expired disinfectant evaluations). Pure functions of the site
data: no script, no external file, same data → same markup.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from markupsafe import Markup

from dossier.site.model import DOCUMENT_STATES, SiteData

STATE_COLOURS = {"effective": "#2e7d32", "approved": "#1565c0", "draft": "#9e9e9e", "obsolete": "#c62828"}
OVERDUE = "#c62828"
DUE = "#ef6c00"
BAR = "#1565c0"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12, fill: str = "#222", weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
            f"{escape(text)}</text>")


def _svg(width: int, height: int, title: str, body: list[str], ident: str) -> Markup:
    """The chart as trusted markup (every text in it was escaped by `_text`)."""
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" id="{ident}" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}-title">'
            f'<title id="{ident}-title">{escape(title)}</title>' + "".join(body) + "</svg>")  # noqa: S704


def states_chart(counts: dict[str, int]) -> Markup:
    """Horizontal bars: how many documents are 现行, 待生效, 草稿, 已作废."""
    width, row, left = 320, 30, 64
    top = max(counts.values(), default=0) or 1
    body = []
    for i, (state, label) in enumerate(DOCUMENT_STATES.items()):
        y = 10 + i * row
        length = (width - left - 40) * counts.get(state, 0) / top
        body.append(_text(left - 8, y + 15, label, "end"))
        body.append(f'<rect x="{left}" y="{y + 3}" width="{_num(length)}" height="16" fill="{STATE_COLOURS[state]}" '
                    f'data-state="{state}" data-count="{counts.get(state, 0)}"/>')
        body.append(_text(left + length + 6, y + 15, str(counts.get(state, 0))))
    return _svg(width, 10 + row * len(DOCUMENT_STATES), "文件状态分布", body, "chart-states")


def _month_starts(as_of: date, months: int) -> list[date]:
    """The first day of `months` months, starting with the month of `as_of`."""
    index = as_of.year * 12 + as_of.month - 1
    return [date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(months)]


def reviews_chart(data: SiteData, months: int = 12) -> Markup:
    """Columns: periodic reviews due in each of the next `months` months; the first column is those overdue."""
    starts = _month_starts(data.as_of, months)
    due = [0] * months
    overdue = 0
    for view in data.documents.values():
        review = view.row["next_review"]
        if not review or view.state != "effective":
            continue
        when = date.fromisoformat(review)
        if when < data.as_of:
            overdue += 1
            continue
        for i, start in enumerate(starts):
            if (when.year, when.month) == (start.year, start.month):
                due[i] += 1
    labels = ["逾期"] + [f"{s.year % 100:02d}/{s.month:02d}" if s.month == 1 or i == 0 else f"{s.month}月" for i, s in enumerate(starts)]
    values = [overdue, *due]
    width, height, left, bottom, column = 480, 150, 8, 30, 36
    top = max(values) or 1
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}" stroke="#999"/>']
    for i, (label, value) in enumerate(zip(labels, values)):
        x = left + i * column
        bar = (height - bottom - 24) * value / top
        colour = OVERDUE if i == 0 else (DUE if value else BAR)
        body.append(f'<rect x="{x + 7}" y="{_num(height - bottom - bar)}" width="{column - 14}" height="{_num(bar)}" '
                    f'fill="{colour}" data-month="{label}" data-count="{value}"/>')
        if value:
            body.append(_text(x + column / 2, height - bottom - bar - 4, str(value), "middle", 11))
        body.append(_text(x + column / 2, height - bottom + 16, label, "middle", 11, OVERDUE if i == 0 else "#444"))
    return _svg(width, height, "未来12个月定期评审到期数", body, "chart-reviews")


def overdue_chart(tiles: list[tuple[str, str, int]]) -> Markup:
    """One tile per source of overdue items (name, label, count): red when not zero."""
    body = []
    for i, (name, label, count) in enumerate(tiles):
        x = 10 + i * 120
        colour = OVERDUE if count else "#2e7d32"
        body.append(f'<rect x="{x}" y="10" width="110" height="80" rx="6" fill="#fff" stroke="{colour}" stroke-width="2" '
                    f'data-kind="{name}" data-count="{count}"/>')
        body.append(_text(x + 55, 52, str(count), "middle", 30, colour, "bold"))
        body.append(_text(x + 55, 78, label, "middle", 12))
    return _svg(10 + 120 * max(len(tiles), 1), 100, "逾期事项", body, "chart-overdue")
