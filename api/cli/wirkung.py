"""``lotse wirkung``: the year before and the year after a measure or a new link."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from api.cli import texts
from api.cli.common import (
    AsOfOption,
    QuarterOption,
    StoreOption,
    app,
    out,
    parse_day,
    stored_network,
)
from graph.errors import LotsenError
from lotsen.wirkung import Effect, Period, effect, effects_in
from visualisation.wirkung_text import effect_lines, effect_rows, heading

__all__: list[str] = []


def _as_json(e: Effect) -> dict[str, object]:
    def side(p: Period) -> dict[str, object]:
        return {"von": p.start.isoformat(), "bis": p.end.isoformat(), "ganzes_jahr": p.complete,
                "vermittelt": p.referred, "angekommen": p.arrived, "verlust": p.loss_rate,
                "befunde_am": p.day.isoformat(),
                "befunde": [f.stable_key for f in p.findings]}
    return {"art": e.kind, "id": e.id, "titel": e.title, "seit": e.start.isoformat(),
            "quartiere": list(e.quarters), "vorher": side(e.before), "nachher": side(e.after),
            "behoben": [f.stable_key for f in e.resolved],
            "neu": [f.stable_key for f in e.appeared]}


@app.command("wirkung", help=texts.WIRKUNG_HELP)
def wirkung_command(
    what: Annotated[str | None, typer.Argument(metavar="KENNUNG",
                                               help="Kennung der Maßnahme oder des Übergangs",
                                               show_default=False)] = None,
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    since: Annotated[str | None, typer.Option("--seit", "--since", help=texts.WIRKUNG_SINCE_HELP,
                                              show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben.")] = False,
) -> None:
    net = stored_network(store)
    day = parse_day(as_of)
    if what:
        found = [effect(net, what, parse_day(since) if since else None, day)]
    elif quarter:
        found = [e for q in quarter for e in effects_in(net, q, day)]
        if not found and not as_json:
            names = ", ".join(net.find_quarter(q).name for q in quarter)
            out.print(texts.WIRKUNG_NONE.format(quarter=names, day=f"{day:%d.%m.%Y}"))
            return
    else:
        raise LotsenError(texts.WIRKUNG_WHAT)
    if as_json:
        print(json.dumps([_as_json(e) for e in found], ensure_ascii=False, indent=2))
        return
    for e in found:
        table = Table(title=heading(e), title_justify="left")
        for head in ("", "Jahr davor", "Jahr danach"):
            table.add_column(head)
        for row in effect_rows(e):
            table.add_row(*row)
        out.print(table)
        names = ", ".join(net.quarter_index[q].name for q in e.quarters if q in net.quarter_index)
        out.print(f"Quartiere: {names}")
        for line in effect_lines(e):
            out.print(f"  {line}", soft_wrap=True)
        out.print()
