"""What ``lotse token add`` checks before a token is written: its end date and that every
quarter it names exists in the store.

>>> import datetime as dt
>>> expiry_date("30", today=dt.date(2026, 1, 1))
datetime.date(2026, 1, 31)
>>> expiry_date("31.12.2026", today=dt.date(2026, 1, 1))
datetime.date(2026, 12, 31)
"""

from __future__ import annotations

import datetime as dt

from pydantic import TypeAdapter, ValidationError

from api.stores import open_store
from graph.errors import LotsenError
from graph.model import Date

__all__ = ["MAX_DAYS", "expiry_date", "known_quarters"]

MAX_DAYS = 3650


def expiry_date(text: str, today: dt.date | None = None) -> dt.date:
    """The last valid day from ``--expires``: a number of days or a date."""
    today = today or dt.date.today()
    text = text.strip()
    if text.isascii() and text.isdigit():
        days = int(text)
        if not 1 <= days <= MAX_DAYS:
            raise LotsenError(f"--expires {text}: erlaubt sind 1 bis {MAX_DAYS} Tage.")
        return today + dt.timedelta(days=days)
    try:
        day: dt.date = TypeAdapter(Date).validate_python(text)
    except ValidationError:
        raise LotsenError(f"--expires '{text}' ist weder eine Zahl von Tagen noch ein Datum "
                          "(JJJJ-MM-TT oder TT.MM.JJJJ).") from None
    if not today <= day <= today + dt.timedelta(days=MAX_DAYS):
        raise LotsenError(f"--expires {day:%d.%m.%Y}: das Datum muss zwischen heute und "
                          f"{MAX_DAYS} Tagen von heute liegen.")
    return day


def known_quarters(store: str | None, quarters: list[str]) -> list[str]:
    """The quarter ids, each checked against the store (NotFoundError with suggestions);
    a name is accepted for its id. Without quarters the store is not opened."""
    if not quarters:
        return []
    repo = open_store(store)
    if repo.is_empty():
        raise LotsenError(
            f"Im Speicher {repo.location} ist noch kein Netzwerk; ohne es lassen sich die "
            "Quartiere der Redaktion nicht prüfen. Erst laden (lotse load …) oder --store "
            "angeben.")
    net = repo.load()
    return [net.find_quarter(q).id for q in quarters]  # NotFoundError: "Meinten Sie …?"
