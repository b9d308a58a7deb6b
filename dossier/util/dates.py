"""Dates as the documents write them: `YYYY-MM-DD`, nothing else.

`date.fromisoformat` also takes `20261201`, `2026W491` and `2026-W49-1` (Python 3.11), which a
person reading the YAML, the ledger or a form would not take for a date; every date dossier
reads goes through `parse_date`.
"""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: object) -> date | None:
    """The date `text` spells as YYYY-MM-DD, or None (any other form, or no such day)."""
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
