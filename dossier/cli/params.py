"""Option types shared by the commands."""

from __future__ import annotations

import click

from dossier.util.dates import parse_date


class DateParam(click.ParamType):
    """A date written YYYY-MM-DD (no other ISO form: see dossier.util.dates)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        """The date, or click's usage error naming the option."""
        if value is None or not isinstance(value, str):
            return value
        day = parse_date(value)
        if day is None:
            self.fail(f"expected a date YYYY-MM-DD, got {value!r}", param, ctx)
        return day


DATE = DateParam()
