"""The chain in plain German for a committee (Steuerungsgruppe, Jugendhilfeausschuss): an
Excel workbook with the providers, the agreements with their validity in words („läuft in
45 Tagen aus“, „abgelaufen am 31.01.2026“) and the owner table (who is responsible for
which transition, backed by what) – for the whole network or one quarter alone. No ids,
no codes, no columns for re-import: this is for reading, printing and passing on.

>>> import datetime as dt, io
>>> from openpyxl import load_workbook
>>> from seeds import load_seed
>>> data = committee_workbook(load_seed("brunnenstrasse"), dt.date(2026, 11, 22))
>>> wb = load_workbook(io.BytesIO(data))
>>> wb.sheetnames
['Überblick', 'Träger', 'Vereinbarungen', 'Verantwortung']
>>> [c.value for c in wb["Vereinbarungen"][1]][:4]
['Vereinbarung', 'Art', 'Partner', 'Unterschrieben am']
>>> validity(None, dt.date(2026, 3, 1), dt.date(2026, 1, 1))
'gilt, läuft in 59 Tagen aus'
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from graph.formats.cells import neutralise_value
from graph.formats.tables import LABELS
from graph.model import Agreement, AgreementKind, AnchorKind, ProviderKind, TransitionKind
from graph.network import Network
from lotsen.ownership import responsibility_table

__all__ = ["SOON_DAYS", "committee_workbook", "validity"]

SOON_DAYS = 180
"""An agreement ending within this many days „läuft … aus“."""

_HEADER = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")


def _date(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "–"


def validity(valid_from: dt.date | None, valid_until: dt.date | None, day: dt.date) -> str:
    """An agreement's validity on ``day`` in words."""
    if valid_from is not None and day < valid_from:
        return f"noch nicht in Kraft (ab {_date(valid_from)})"
    if valid_until is None:
        return "gilt, ohne Enddatum"
    if valid_until < day:
        return f"abgelaufen am {_date(valid_until)}"
    left = (valid_until - day).days
    if left == 0:
        return "gilt, läuft heute aus"
    if left <= SOON_DAYS:
        return f"gilt, läuft in {left} {'Tag' if left == 1 else 'Tagen'} aus"
    return f"gilt bis {_date(valid_until)}"


def _names(net: Network, ids: Iterable[str], index: dict[str, Any]) -> str:
    return "; ".join(index[i].name if i in index else i for i in ids) or "–"


def _quarters_of_agreement(net: Network, a: Agreement) -> set[str]:
    backed = {q for t in net.transitions if a.id in t.agreements
              for x in (t.source, t.target) if x in net.service_index
              for q in net.service_index[x].quarters}
    if backed or a.quarters:
        return set(a.quarters) | backed
    return {q for s in net.services if s.provider in a.parties for q in s.quarters}


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]],
           widths: list[int]) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(1, i)
        cell.font, cell.fill = _HEADER, _FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in rows:  # a name like "=HYPERLINK(…)" stays text (issue 32.7)
        ws.append([neutralise_value(v) for v in row])
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    # printed on A4 landscape, one page wide, the header row on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    return ws


def committee_workbook(net: Network, day: dt.date, quarter: str | None = None) -> bytes:
    """The workbook for the whole network or, with ``quarter`` (id or name), one quarter
    alone: only its providers, the agreements that concern it and its transitions."""
    q = net.find_quarter(quarter) if quarter else None
    services = [s for s in net.services if q is None or q.id in s.quarters]
    kinds, anchors = LABELS[ProviderKind], LABELS[AnchorKind]
    wb = Workbook()
    wb.remove(wb.active)
    area = f"Quartier {q.name}" if q else "alle Quartiere"
    # the providers: those with an offer here, or owning one of its transitions
    rows_t = responsibility_table(net, q.id if q else None, day)
    owners = {r.owner for r in rows_t if r.owner}
    providers = [p for p in net.providers
                 if not q or p.id in owners or any(s.provider == p.id for s in services)]
    agreements = [a for a in net.agreements if not q or q.id in _quarters_of_agreement(net, a)]
    overview = wb.create_sheet("Überblick")
    for line in ([f"Präventionskette: {net.name}"], [f"Gebiet: {area}"],
                 [f"Stand: {_date(day)}"], [],
                 ["Träger", len(providers)], ["Angebote", len(services)],
                 ["Übergänge", len(rows_t)], ["Vereinbarungen", len(agreements)],
                 ["davon abgelaufen", sum(1 for a in agreements
                                          if a.valid_until and a.valid_until < day)],
                 [f"davon laufen in {SOON_DAYS} Tagen aus", sum(
                     1 for a in agreements if a.valid_until
                     and 0 <= (a.valid_until - day).days <= SOON_DAYS)],
                 ["Übergänge ohne Verantwortliche", sum(1 for r in rows_t if not r.owner)],
                 [], ["Keine personenbezogenen Daten von Familien: Menschen erscheinen nur "
                      "als Rollen."]):
        overview.append([neutralise_value(v) for v in line])
    overview["A1"].font = Font(bold=True, size=14)
    overview.column_dimensions["A"].width = 40
    overview.column_dimensions["B"].width = 12

    def offers(pid: str) -> list[Any]:
        own = [s for s in services if s.provider == pid]
        where = sorted({net.quarter_index[x].name for s in own for x in s.quarters
                        if x in net.quarter_index}, key=str.casefold)
        return ["; ".join(s.name for s in own) or "–", "; ".join(where) or "–"]

    _sheet(wb, "Träger", ["Träger", "Art", "Ankerstandort", "Angebote", "Quartiere",
                          "Webseite", "E-Mail", "Telefon"],
           [[p.name, kinds.get(p.kind.value, p.kind.value),
             anchors.get(p.anchor.value, p.anchor.value) if p.anchor else "–",
             *offers(p.id), *((getattr(p.contact, f, None) or "–") if p.contact else "–"
                              for f in ("url", "email", "phone"))]
            for p in sorted(providers, key=lambda p: p.name.casefold())],
           [34, 22, 18, 44, 28, 28, 28, 18])
    agreement_kinds = LABELS[AgreementKind]
    backs = {a.id: [r.label for r in rows_t if a.id in r.agreements] for a in agreements}
    _sheet(wb, "Vereinbarungen", [
        "Vereinbarung", "Art", "Partner", "Unterschrieben am", "Gültig ab", "Gültig bis",
        "Stand", "Überprüfen am", "Verbindlich", "Sichert die Übergänge"],
        [[a.name, agreement_kinds.get(a.kind.value, a.kind.value),
          _names(net, a.parties, net.provider_index), _date(a.signed), _date(a.valid_from),
          _date(a.valid_until), validity(a.valid_from, a.valid_until, day),
          _date(a.review_date), "ja" if a.binding else "nein",
          "; ".join(backs[a.id]) or "–"]
         for a in sorted(agreements, key=lambda a: (a.valid_until or dt.date.max, a.name))],
        [34, 22, 36, 14, 12, 12, 26, 14, 11, 44])
    transition_kinds = LABELS[TransitionKind]

    def quarter_of(source: str) -> str:
        s = net.service_index.get(source)
        names = [net.quarter_index[x].name for x in (s.quarters if s else [])
                 if x in net.quarter_index]
        return q.name if q else ("; ".join(names) or "–")

    _sheet(wb, "Verantwortung", [
        "Quartier", "Von Angebot", "Zu Angebot", "Art der Übergabe", "Verantwortlich",
        "Vereinbarungen", "Absicherung", "Gültig bis", "Datenschutz", "Zusammenarbeit"],
        [[quarter_of(r.source), r.source_name, r.target_name,
          transition_kinds.get(r.kind, r.kind), r.owner_name or "niemand",
          "; ".join(r.agreement_names) or "keine", r.status, _date(r.valid_until),
          r.data_protection, r.cooperation]
         for r in sorted(rows_t, key=lambda r: (quarter_of(r.source), r.label))],
        [22, 30, 30, 18, 28, 36, 18, 12, 30, 24])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
