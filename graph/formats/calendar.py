"""Agreement review dates and expiries as an iCalendar file (.ics).

One all-day event per review date and per end of validity, so that the coordination
office gets reminders in its calendar. UIDs are stable (re-importing updates events).
Descriptions are German ("Art: § 3 KKG", "Partner: …", "verbindlich").

A network without such dates still gives a valid calendar: RFC 5545 wants at least one
component in a VCALENDAR, so the calendar then holds only the time zone of its users
(VTIMEZONE Europe/Berlin – no event appears in anyone's calendar) and says in its
description ``X-WR-CALDESC`` that there are no dates; :func:`write_ics` returns the
number of events so that the caller can say so, too.

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

from graph.formats.tables import LABELS
from graph.model import AgreementKind
from graph.network import Network

__all__ = ["agreements_ics", "count_events", "write_ics"]

EMPTY = ("Keine Termine: keine Vereinbarung hat ein Überprüfungs- oder Enddatum "
         "(review_date, valid_until).")


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
            kind = LABELS[AgreementKind][agreement.kind.value]
            binding = "verbindlich" if agreement.binding else "unverbindlich"
            event.add("description", f"Partner: {parties}. Art: {kind} ({binding}).")
            event.add("categories", ["Vereinbarung", what])
            if suffix == "ende":
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"In 90 Tagen läuft aus: {agreement.name}")
                alarm.add("trigger", dt.timedelta(days=-90))
                event.add_component(alarm)
            cal.add_component(event)
    if not cal.subcomponents:  # RFC 5545: at least one component
        cal.add("x-wr-caldesc", EMPTY)
        cal.add_component(_berlin())
    data: bytes = cal.to_ical()
    return data


def _berlin() -> icalendar.Timezone:
    """VTIMEZONE Europe/Berlin (CET/CEST, the EU rule since 1996), compact."""
    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/Berlin")
    for kind, start, month, offset_from, offset_to, name in (
            (icalendar.TimezoneStandard, dt.datetime(1996, 10, 27, 3), 10, 2, 1, "MEZ"),
            (icalendar.TimezoneDaylight, dt.datetime(1981, 3, 29, 2), 3, 1, 2, "MESZ")):
        part = kind()
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", dt.timedelta(hours=offset_from))
        part.add("tzoffsetto", dt.timedelta(hours=offset_to))
        part.add("tzname", name)
        zone.add_component(part)
    return zone


def count_events(net: Network) -> int:
    """How many events the calendar of ``net`` holds.

    >>> from seeds import load_seed
    >>> count_events(load_seed("brunnenstrasse")) > 0
    True
    """
    return sum(1 for a in net.agreements for day in (a.review_date, a.valid_until)
               if day is not None)


def write_ics(net: Network, path: str | Path) -> int:
    """Write the agreement calendar to ``path`` atomically; returns the number of events."""
    from graph.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), agreements_ics(net))
    return count_events(net)
