"""Small formatting rules shared by the annex documents."""

from __future__ import annotations

from dossier.disinfectant.fields import NONE, cn_date

__all__ = ["NONE", "cn_date", "or_none", "percent"]


def or_none(text: str) -> str:
    """The text, or ／ for an empty field."""
    return text or NONE


def percent(value: float) -> str:
    """A percentage without trailing zeros (78.9, 0.05, 100)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")
