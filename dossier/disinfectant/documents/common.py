"""Small formatting rules shared by the annex documents."""

from __future__ import annotations

from datetime import date

NONE = "／"


def cn_date(when: date) -> str:
    """2024年5月20日."""
    return f"{when.year}年{when.month}月{when.day}日"


def or_none(text: str) -> str:
    """The text, or ／ for an empty field."""
    return text or NONE


def percent(value: float) -> str:
    """A percentage without trailing zeros (78.9, 0.05, 100)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")
