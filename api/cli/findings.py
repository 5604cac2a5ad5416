"""``lotse`` commands that act on findings: accept, measures, changes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.table import Table

from api.cli import texts
from api.cli.common import AsOfOption, StoreOption, app, out, parse_day
from api.cli.german import GermanTyper
from api.stores import open_store
from graph.edit import find
from graph.errors import InvalidNetworkError, LotsenError, NotFoundError, Problem
from graph.journal import Edit, network_at
from graph.model import Measure, MeasureStatus
from graph.network import Network
from lotsen.acceptance import acceptance
from lotsen.changes import Changes, compare
from lotsen.check import check
from lotsen.measures import MEASURE_STATUS_LABELS, measure_states

__all__: list[str] = []


@app.command("accept", help=texts.ACCEPT_HELP)
def accept_command(
    key: Annotated[str, typer.Argument(metavar="SCHLÜSSEL",
                                       help=texts.ACCEPT_KEY_HELP, show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help=texts.ACCEPT_REASON_HELP,
                                        show_default=False)],
    until: Annotated[str | None, typer.Option("--until", help=texts.ACCEPT_UNTIL_HELP,
                                              show_default=False)] = None,
    by: Annotated[str, typer.Option("--by", help=texts.ACCEPT_BY_HELP)] = "Koordination",
    store: StoreOption = None, as_of: AsOfOption = None,
) -> None:
    repo = open_store(store)
    net = repo.load()
    day = parse_day(as_of)
    end = parse_day(until) if until else None
    entity = acceptance(net, key, reason, by, day, end)
    _, entry = repo.apply(Edit("accepted_findings", entity.key, entity, by))
    out.print(texts.ACCEPTED_DONE.format(
        key=entity.key, until=f" bis {end:%d.%m.%Y}" if end else "", seq=entry.seq,
        actor=entry.actor))


measures_app = GermanTyper(help=texts.MEASURES_HELP, no_args_is_help=True)
app.add_typer(measures_app, name="measures")


def _provider_id(net: Network, wanted: str) -> str:
    if wanted in net.provider_index:
        return wanted
    for p in net.providers:
        if p.name.casefold() == wanted.strip().casefold():
            return p.id
    raise NotFoundError("Träger", wanted, [p.name for p in net.providers] +
                        [p.id for p in net.providers])


def _status(measure_id: str, value: str) -> MeasureStatus:
    for code, label in MEASURE_STATUS_LABELS.items():
        if value.strip().casefold() in (code, label.casefold()):
            return MeasureStatus(code)
    raise InvalidNetworkError([Problem(
        "Maßnahme", measure_id, "status", f"'{value}' ist kein Status; erlaubt: "
        + ", ".join(MEASURE_STATUS_LABELS.values()) + ".")])


@measures_app.command("add", help=texts.MEASURES_ADD_HELP)
def measures_add(
    title: Annotated[str, typer.Option("--title", help=texts.MEASURE_TITLE_HELP,
                                       show_default=False)],
    responsible: Annotated[str, typer.Option("--responsible", help=texts.MEASURE_RESP_HELP,
                                             show_default=False)],
    finding: Annotated[list[str] | None, typer.Option("--finding", help=texts.MEASURE_KEY_HELP,
                                                      show_default=False)] = None,
    due: Annotated[str | None, typer.Option("--due", help=texts.MEASURE_DUE_HELP,
                                            show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help=texts.MEASURE_NOTE_HELP,
                                             show_default=False)] = None,
    measure_id: Annotated[str | None, typer.Option("--id", help=texts.MEASURE_ID_HELP,
                                                   show_default=False)] = None,
    by: Annotated[str, typer.Option("--by", help=texts.ACCEPT_BY_HELP)] = "Koordination",
    store: StoreOption = None,
) -> None:
    repo = open_store(store)
    net = repo.load()
    taken = {m.id for m in net.measures}
    new_id = measure_id or next(f"massnahme-{n}" for n in range(len(taken) + 1, 10**6)
                                if f"massnahme-{n}" not in taken)
    m = Measure(id=new_id, title=title, findings=finding or [],
                responsible=_provider_id(net, responsible),
                due=parse_day(due) if due else None, note=note)
    _, entry = repo.apply(Edit("measures", m.id, m, by, create=True))
    out.print(texts.MEASURE_ADDED.format(id=m.id, title=m.title, seq=entry.seq))


@measures_app.command("list", help=texts.MEASURES_LIST_HELP)
def measures_list(store: StoreOption = None, as_of: AsOfOption = None,
                  as_json: Annotated[bool, typer.Option("--json", help=texts.JSON_HELP)] = False
                  ) -> None:
    net = open_store(store).load()
    day = parse_day(as_of)
    states = measure_states(net, check(net, day), day)
    if as_json:
        print(json.dumps([{**s.measure.model_dump(mode="json"), "status_label": s.status_label,
                           "resolved": s.resolved, "overdue": s.overdue,
                           "open_findings": list(s.open_findings)} for s in states],
                         ensure_ascii=False, indent=2))
        return
    if not states:
        out.print(texts.NO_MEASURES)
        return
    table = Table(title=texts.MEASURES_TITLE.format(n=len(states), day=day),
                  title_justify="left", show_lines=True, expand=True)
    for column in ("Kennung", "Maßnahme", "Befunde", "Verantwortlich", "fällig", "Status"):
        table.add_column(column, overflow="fold")
    for s in states:
        m = s.measure
        found = (texts.MEASURE_RESOLVED if s.resolved
                 else "\n".join(m.findings) or "–")
        status = s.status_label + (" [red](überfällig)[/red]" if s.overdue else "")
        table.add_row(m.id, m.title + (f"\n[dim]{m.note}[/dim]" if m.note else ""), found,
                      net.provider_index[m.responsible].name,
                      f"{m.due:%d.%m.%Y}" if m.due else "–", status)
    out.print(table)


@measures_app.command("status", help=texts.MEASURES_STATUS_HELP)
def measures_status(
    measure_id: Annotated[str, typer.Argument(metavar="MASSNAHME",
                                              help=texts.MEASURE_ID_HELP, show_default=False)],
    status: Annotated[str, typer.Argument(metavar="STATUS",
                                          help=texts.MEASURE_STATUS_HELP, show_default=False)],
    by: Annotated[str, typer.Option("--by", help=texts.ACCEPT_BY_HELP)] = "Koordination",
    store: StoreOption = None,
) -> None:
    repo = open_store(store)
    net = repo.load()
    old = find(net, "measures", measure_id)
    assert isinstance(old, Measure)
    new = old.model_copy(update={"status": _status(measure_id, status)})
    _, entry = repo.apply(Edit("measures", measure_id, new, by))
    out.print(texts.MEASURE_STATUS_SET.format(id=measure_id,
                                              status=MEASURE_STATUS_LABELS[new.status.value],
                                              seq=entry.seq))


@app.command("changes", help=texts.CHANGES_HELP)
def changes_command(
    since: Annotated[str | None, typer.Option("--since", help=texts.CHANGES_SINCE_HELP,
                                              show_default=False)] = None,
    against: Annotated[str | None, typer.Option("--against", help=texts.CHANGES_AGAINST_HELP,
                                                show_default=False)] = None,
    store: StoreOption = None, as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=texts.JSON_HELP)] = False,
) -> None:
    if since is None and against is None:
        raise LotsenError(texts.CHANGES_NEED)
    repo = open_store(store)
    net = repo.load()
    day = parse_day(as_of)
    if against is not None:
        old = open_store(against).load()
        result = compare(old, net, parse_day(since) if since else day, day)
    else:
        start = parse_day(since)
        moment = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
        old, undone, complete = network_at(net, repo.journal(), moment)
        result = compare(old, net, start, day, entries=undone, complete=complete)
    if as_json:
        print(json.dumps({
            "since": result.since.isoformat(), "as_of": result.as_of.isoformat(),
            "complete": result.complete,
            "new": [f.to_dict() for f in result.new],
            "resolved": [f.to_dict() for f in result.resolved],
            "entities": [{"section": e.section, "key": e.key, "action": e.action,
                          "actor": e.actor, "at": e.at.isoformat() if e.at else None}
                         for e in result.entities],
            "indicators": [{"quarter": d.quarter, "indicator": d.indicator,
                            "before": d.before, "after": d.after} for d in result.indicators],
        }, ensure_ascii=False, indent=2))
        return
    _print_changes(result)


def _percent(value: float | None, indicator: str) -> str:
    if value is None:
        return "–"
    if indicator in ("pearls", "expiring_agreements"):
        return str(int(value))
    return f"{value:.0%}"


def _print_changes(c: Changes) -> None:
    out.print(f"[bold]{texts.CHANGES_TITLE.format(since=c.since, day=c.as_of)}[/bold]")
    if not c.complete:
        out.print(texts.CHANGES_INCOMPLETE)
    for title, findings in ((texts.CHANGES_NEW, c.new), (texts.CHANGES_RESOLVED, c.resolved)):
        table = Table(title=title.format(n=len(findings)), title_justify="left",
                      show_lines=True, expand=True)
        table.add_column("Befund", ratio=2, overflow="fold")
        table.add_column("Was ist los", ratio=5)
        for f in findings:
            table.add_row(f"{f.title}\n[dim]{f.stable_key}[/dim]", f.message)
        out.print(table)
    table = Table(title=texts.CHANGES_ENTITIES.format(n=len(c.entities)), title_justify="left",
                  expand=True)
    for column in ("Wann", "Wer", "Art", "Kennung", "Änderung"):
        table.add_column(column, overflow="fold")
    for e in c.entities:
        table.add_row(f"{e.at:%d.%m.%Y %H:%M}" if e.at else "–", e.actor or "–", e.kind, e.key,
                      e.action_label)
    out.print(table)
    table = Table(title=texts.CHANGES_INDICATORS.format(n=len(c.indicators)),
                  title_justify="left", expand=True)
    for column in ("Quartier", "Kennzahl", "vorher", "jetzt"):
        table.add_column(column)
    for d in c.indicators:
        table.add_row(d.quarter_name, d.label, _percent(d.before, d.indicator),
                      _percent(d.after, d.indicator))
    out.print(table)
