"""The one clock of dossier: the current instant, and the day it is in a time zone.

Every date dossier derives from the current time (approval and effective dates, ledger
timestamps, the "today" of status and checks, qualification reports) starts from `now()`, so
one run sees one clock and tests can freeze it (monkeypatch `dossier.util.clock.now`). A day is
always taken in the workspace's zone (`timezone:` in dossier.yaml, default Asia/Shanghai, see
`Config.today`), never the machine's local date nor UTC's: at 16:30 UTC it is already the next
day in China (device GMP 2025 Art. 43: the dates on a controlled document are the approver's).
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


def now_in(zone: tzinfo) -> datetime:
    """The current instant in `zone` (what a person there reads on the clock)."""
    return now().astimezone(zone)


def today_in(zone: tzinfo) -> date:
    """Today's date in `zone`."""
    return now_in(zone).date()
