"""Agreement review dates and expiries as an iCalendar file (.ics).

One all-day event per review date and per end of validity, so that the coordination
office gets reminders in its calendar. UIDs are stable (re-importing updates events).

>>> import icalendar
>>> from seeds import load_seed
>>> cal = icalendar.Calendar.from_ical(agreements_ics(load_seed("brunnenstrasse")))
>>> events = [e for e in cal.walk("VEVENT")]
>>> "Läuft aus: Kooperationsvertrag Babylotsendienst (kinderstark)" in [
...     str(e["SUMMARY"]) for e in events]
True
>>> str(events[0]["UID"]).endswith("@lotsensystem")
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar

from graph.network import Network

__all__ = ["agreements_ics", "write_ics"]


def agreements_ics(net: Network, stamp: dt.datetime | None = None) -> bytes:
    """The calendar of ``net``'s agreement review dates and ends of validity."""
    now = stamp or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//lotsensystem//Vereinbarungen//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Vereinbarungen – {net.name}")
    providers = net.provider_index
    for agreement in net.agreements:
        parties = ", ".join(providers[p].name for p in agreement.parties)
        for day, what, suffix in ((agreement.review_date, "Überprüfung", "pruefung"),
                                  (agreement.valid_until, "Läuft aus", "ende")):
            if day is None:
                continue
            event = icalendar.Event()
            event.add("uid", f"{agreement.id}-{suffix}@lotsensystem")
            event.add("dtstamp", now)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add("summary", f"{what}: {agreement.name}")
            event.add("description", f"Partner: {parties}. Art: {agreement.kind.value}.")
            event.add("categories", ["Vereinbarung", what])
            if suffix == "ende":
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"In 90 Tagen läuft aus: {agreement.name}")
                alarm.add("trigger", dt.timedelta(days=-90))
                event.add_component(alarm)
            cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def write_ics(net: Network, path: str | Path) -> None:
    """Write the agreement calendar to ``path`` atomically."""
    from graph.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), agreements_ics(net))
