"""The parts of a rule set besides its tables and forms: when it is in force, and renewals (第十四条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class KeyItem:
    """A 关键项目 of a renewal (第十四条): the table item and the article's words for it."""

    item: str
    means: str


@dataclass(frozen=True)
class Renewal:
    """第十四条: which classes renew, their key items by type group, the sampling exemption."""

    article: str
    classes: tuple[int, ...]
    key_items: dict[str, tuple[KeyItem, ...]]
    other_items: str
    exemption_years: int
    exemption: str


@dataclass(frozen=True)
class InForce:
    """When a rule set's technical content applies, and what replaced it."""

    start: date
    until: date | None
    replaced_by: str
    replaced: str
    still_in_force: str

    def covers(self, when: date) -> bool:
        """True when an evaluation dated `when` falls in the rule set's period."""
        return self.start <= when and (self.until is None or when < self.until)
