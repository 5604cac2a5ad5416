"""Local time: stores write every moment in UTC; people read it in the time of the
Präventionskette, Europe/Berlin (summer time included) – in the Verlauf, the list of
Sicherungen and the command line alike.

>>> import datetime as dt
>>> local(dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)).strftime("%d.%m.%Y %H:%M")
'02.07.2026 00:30'
>>> local(dt.datetime(2026, 12, 31, 23, 15)).strftime("%d.%m.%Y %H:%M")  # naive: UTC
'01.01.2027 00:15'
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["LOCAL_TIME", "local", "local_midnight"]

LOCAL_TIME = ZoneInfo("Europe/Berlin")


def local(at: dt.datetime) -> dt.datetime:
    """``at`` in Europe/Berlin; a naive moment is UTC, as every store writes it."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(LOCAL_TIME)


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Europe/Berlin („Änderungen seit 24.11.2026“)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TIME)
