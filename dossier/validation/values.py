"""Measured values as a report records them, and the wording they are judged and shown in.

A value is a number, a pass/fail word (`合格`, `不符合`, `pass`, YAML true/false …, listed in
`wording.yaml`) or other text (`无菌生长`). Numbers compare as numbers, pass/fail words as their
verdict, other text as trimmed text. `Where` says which file, line and field a value came from,
so an error or a failing value can be pointed at.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WORDING_FILE = Path(__file__).with_name("wording.yaml")


@functools.cache
def wording() -> dict[str, Any]:
    """The wording table (see wording.yaml for its grammar)."""
    return yaml.safe_load(WORDING_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Where:
    """Where a value was written: file (as shown in messages), 1-based line, dotted field."""

    path: str
    line: int | None
    field: str


@dataclass(frozen=True)
class Value:
    """One measured value: its number, or its pass/fail verdict, or its text."""

    text: str  # as shown (numbers as written)
    number: float | None = None
    verdict: bool | None = None  # True pass, False fail, None not a pass/fail word

    def same_as(self, other: "Value") -> bool:
        """Equality as a criterion means it: numbers by value, verdicts by verdict, else text."""
        if self.number is not None and other.number is not None:
            return math.isclose(self.number, other.number, rel_tol=0, abs_tol=1e-9)
        if self.verdict is not None and other.verdict is not None:
            return self.verdict == other.verdict
        return self.text == other.text


def _verdict_of(text: str) -> bool | None:
    folded = text.strip().lower()
    if folded in {str(word).lower() for word in wording()["pass_words"]}:
        return True
    if folded in {str(word).lower() for word in wording()["fail_words"]}:
        return False
    return None


def parse_number(text: str) -> float | None:
    """A decimal number written as text (`12.0`, `-26`, `1e-3`), else None; never NaN or infinity."""
    try:
        number = float(text.strip().replace("−", "-"))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def value_of(raw: Any) -> Value | None:
    """The Value of a YAML scalar or CSV cell; None for anything else (a list, a mapping, empty text)."""
    if isinstance(raw, bool):
        return Value("合格" if raw else "不合格", verdict=raw)
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            return None
        return Value(_number_text(raw), number=float(raw))
    if isinstance(raw, str) and raw.strip():
        text = raw.strip()
        number = parse_number(text)
        if number is not None:
            return Value(text, number=number)
        return Value(text, verdict=_verdict_of(text))
    return None


def _number_text(number: float) -> str:
    if isinstance(number, int) or (number.is_integer() and abs(number) < 1e15):
        return str(int(number))
    return repr(float(number))


def decimals(text: str) -> int:
    """Digits after the decimal point in a number as written (`12.30` → 2)."""
    mantissa = text.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def fmt(number: float, places: int) -> str:
    """`number` with `places` decimals, without a negative zero."""
    text = f"{number:.{max(places, 0)}f}"
    return text.lstrip("-") if float(text) == 0 else text
