"""``lotse meeting prepare/list/minutes``: Sitzungen from the command line, for scripts –
the same use cases as the Werkstatt's Sitzung pages and ``POST
/api/v1/areas/{area}/meetings`` (:mod:`api.usecases.meetings`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import StoreOption, app, out, parse_day
from api.cli.german import GermanTyper
from api.stores import open_store
from api.usecases.meetings import meeting_of, prepare_meeting
from api.usecases.roles import command_line
from graph.atomic import atomic_write_bytes
from lotsen.meetings import area_name

__all__: list[str] = []

meeting_app = GermanTyper(
    help="Sitzungen (Steuerungsgruppe, Netzwerktreffen): vorbereiten, auflisten, das "
         "Protokoll schreiben. Beispiel: lotse meeting prepare \"Steuerungsgruppe Nord\" "
         "--area brunnenstrasse --date 14.01.2027",
    no_args_is_help=True)
app.add_typer(meeting_app, name="meeting")

IdArg = Annotated[str, typer.Argument(metavar="KENNUNG", help="Kennung der Sitzung "
                                      "(siehe lotse meeting list)", show_default=False)]


@meeting_app.command("prepare", help="Eine Sitzung anlegen; die Tagesordnung wird aus dem "
                                     "Gebiet vorgeschlagen (seit der letzten Sitzung, "
                                     "wichtigste Befunde, fällige Maßnahmen, auslaufende "
                                     "Vereinbarungen).")
def prepare_command(
        body: Annotated[str, typer.Argument(metavar="GREMIUM", show_default=False,
                                            help="z. B. „Steuerungsgruppe Bönen“")],
        area: Annotated[str, typer.Option("--area", help="Gebiet: Quartier, Stadtbezirk, "
                                          "Kommune oder Kreis (Kennung oder Name)",
                                          show_default=False)],
        date: Annotated[str | None, typer.Option("--date", help="Tag der Sitzung "
                                                 "(TT.MM.JJJJ; ohne: heute)",
                                                 show_default=False)] = None,
        role: Annotated[list[str] | None, typer.Option(
            "--role", help="weitere Teilnehmende als Rolle, nie Namen (mehrmals möglich)",
            show_default=False)] = None,
        by: Annotated[str, typer.Option("--by", help="wer anlegt (eine Rolle)")] = "lotse",
        store: StoreOption = None) -> None:
    repo = open_store(store)
    meeting, entry = prepare_meeting(repo, command_line(by), body, area, parse_day(date),
                                     roles=role or [])
    net = repo.load()
    out.print(f"Sitzung „{meeting.body}“ am {meeting.date:%d.%m.%Y} für "
              f"{area_name(net, meeting.area)} angelegt (Kennung {meeting.id}, Änderung "
              f"Nr. {entry.seq}). Tagesordnung:", markup=False)
    for i, item in enumerate(meeting.agenda, start=1):
        out.print(f"  {i}. {item.kind.label}: {item.title}", markup=False)


@meeting_app.command("list", help="Die Sitzungen, die neueste zuerst.")
def list_command(store: StoreOption = None) -> None:
    net = open_store(store).load()
    if not net.meetings:
        out.print("Noch keine Sitzung.")
        return
    for m in sorted(net.meetings, key=lambda m: (m.date, m.id), reverse=True):
        out.print(f"{m.date:%d.%m.%Y}  {m.id}  {m.body} – {area_name(net, m.area)} "
                  f"({len(m.agenda)} Punkte)", markup=False)


@meeting_app.command("minutes", help="Das Protokoll einer Sitzung als A4-PDF (oder HTML mit "
                                     "--html) schreiben.")
def minutes_command(
        meeting_id: IdArg,
        to: Annotated[Path, typer.Option("--to", help="Zieldatei, z. B. protokoll.pdf",
                                         show_default=False, metavar="DATEI")],
        html: Annotated[bool, typer.Option("--html", help="HTML statt PDF")] = False,
        store: StoreOption = None) -> None:
    from visualisation.meeting_documents import minutes_html, minutes_pdf

    repo = open_store(store)
    meeting = meeting_of(repo, meeting_id)
    net, journal = repo.load(), repo.journal()
    data = minutes_html(net, journal, meeting).encode() if html else \
        minutes_pdf(net, journal, meeting)
    atomic_write_bytes(to, data)
    out.print(f"Protokoll geschrieben: {to}", markup=False)
