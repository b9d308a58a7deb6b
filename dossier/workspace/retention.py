"""Retention rules: how long a superseded or withdrawn revision is kept (device GMP 2025 Art. 43(4), 45(4)).

Grammar of `retention_years:` in dossier.yaml, one rule per document kind plus `default`:

    retention_years:
      default: 10                        # N: years from supersession or withdrawal
      record_form: device_lifetime + 2   # the declared device lifetime plus N years
      procedure: product_expiry + 1      # the product's shelf life (expiry) plus N years
    device_lifetime_years: 8             # 医疗器械寿命期, needed by `device_lifetime + N`
    product_expiry_months: 36            # 产品有效期, needed by `product_expiry + N`

Every rule counts from the day the revision stopped being in force (the next revision took
effect, or the document was withdrawn): the last products made under it stay in use for the
device lifetime, or until the last batch expires. A rule that can end less than two years after
the revision was released is an input error: Art. 45(4) keeps records at least two years.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dossier.workspace.fields import FieldReader

WITHDRAWAL, DEVICE_LIFETIME, PRODUCT_EXPIRY = "withdrawal", "device_lifetime", "product_expiry"
MINIMUM_YEARS = 2  # Art. 45(4): at least two years from release
DEFAULT_RULE_YEARS = 10
_FORM = re.compile(r"\s*(device_lifetime|product_expiry)\s*\+\s*(\d+)\s*")
FORMS = "a number of years N (at least 2), `device_lifetime + N` or `product_expiry + N`"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the day is clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class RetentionRule:
    """Keep a revision `years` after it stopped being in force, after the declared device
    lifetime (`base` device_lifetime) or product shelf life (`base` product_expiry) on top.

    `lifetime_years` and `expiry_months` are the workspace's declared values (None when the
    rule does not use them).
    """

    years: int
    base: str = WITHDRAWAL
    lifetime_years: int | None = None
    expiry_months: int | None = None

    def months(self) -> int:
        """The whole retention period in months."""
        extra = {DEVICE_LIFETIME: 12 * (self.lifetime_years or 0), PRODUCT_EXPIRY: self.expiry_months or 0}
        return 12 * self.years + extra.get(self.base, 0)

    def end(self, stopped: date) -> date:
        """The last day of retention of a revision no longer in force since `stopped`."""
        return add_months(stopped, self.months())

    def describe(self) -> str:
        """The rule as dossier.yaml writes it (`10`, `device_lifetime + 2`)."""
        return str(self.years) if self.base == WITHDRAWAL else f"{self.base} + {self.years}"


def read_retention(top: FieldReader, kinds: set[str]) -> dict[str, RetentionRule]:
    """`retention_years:` of dossier.yaml (see module docstring) as {kind or default: rule}.

    `top` reads the whole file (the declared `device_lifetime_years` and
    `product_expiry_months` are its keys); problems (unknown kind, a form outside the grammar,
    a declaration missing, under two years) are recorded at their line.
    """
    lifetime = top.integer("device_lifetime_years", minimum=1) or None
    expiry = top.integer("product_expiry_months", minimum=1) or None
    rules = {"default": RetentionRule(DEFAULT_RULE_YEARS)}
    table = top.child("retention_years")
    if table is None:
        return rules
    for key in table.mapping:
        name = str(key)
        if name != "default" and name not in kinds:
            table.fail(name, f"unknown document kind (expected default or one of: {', '.join(sorted(kinds))})")
            continue
        rule = _rule(table, name, lifetime, expiry)
        if rule is not None:
            rules[name] = rule
    return rules


def _rule(table: FieldReader, key: str, lifetime: int | None, expiry: int | None) -> RetentionRule | None:
    """One rule, or None with the problem recorded."""
    value = table.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        rule = RetentionRule(value)
    elif isinstance(value, str) and (match := _FORM.fullmatch(value)):
        base, years = match.group(1), int(match.group(2))
        declared, setting = (lifetime, "device_lifetime_years") if base == DEVICE_LIFETIME else (expiry, "product_expiry_months")
        if declared is None:
            table.fail(key, f"{value.strip()} needs `{setting}:` in dossier.yaml (the declared "
                            f"{'device lifetime in years' if base == DEVICE_LIFETIME else 'product shelf life in months'})")
            return None
        rule = RetentionRule(years, base, lifetime, expiry)
    else:
        table.fail(key, f"expected {FORMS}, got {value!r}")
        return None
    if rule.months() < 12 * MINIMUM_YEARS:
        shown = f"{rule.months() // 12} year{'s' if rule.months() // 12 != 1 else ''}" if rule.months() % 12 == 0 \
            else f"{rule.months()} months"
        table.fail(key, f"{rule.describe()} keeps a revision {shown}, less than the two years from release "
                        "device GMP Art. 45(4) requires (at least 2)")
        return None
    return rule
