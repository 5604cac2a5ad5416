"""``lotse`` commands that act on findings: accept, measures, changes."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from api.cli import texts
from api.cli.common import AsOfOption, StoreOption, app, out, parse_day
from api.cli.german import GermanTyper
from api.stores import open_store
from api.usecases.acceptances import accept_finding, lift_acceptance
from api.usecases.measures import decide_measure, update_measure
from api.usecases.roles import command_line
from graph.errors import LotsenError
from graph.journal import network_at
from graph.local_time import local, local_midnight
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
    end = parse_day(until) if until else None
    done = accept_finding(open_store(store), command_line(by), key, reason, parse_day(as_of),
                          end)
    out.print(texts.ACCEPTED_DONE.format(
        key=done.accepted.key, until=f" bis {end:%d.%m.%Y}" if end else "",
        seq=done.entry.seq, actor=done.entry.actor))


@app.command("unaccept", help=texts.UNACCEPT_HELP)
def unaccept_command(
    key: Annotated[str, typer.Argument(metavar="SCHLÜSSEL", help=texts.ACCEPT_KEY_HELP,
                                       show_default=False)],
    by: Annotated[str, typer.Option("--by", help=texts.ACCEPT_BY_HELP)] = "Koordination",
    store: StoreOption = None, as_of: AsOfOption = None,
) -> None:
    entry = lift_acceptance(open_store(store), command_line(by), key, parse_day(as_of))
    out.print(texts.UNACCEPTED_DONE.format(key=key, seq=entry.seq, actor=entry.actor))


measures_app = GermanTyper(help=texts.MEASURES_HELP, no_args_is_help=True)
app.add_typer(measures_app, name="measures")


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
    m, entry = decide_measure(open_store(store), command_line(by), title, responsible,
                              parse_day(None), findings=finding or [],
                              due=parse_day(due) if due else None, note=note,
                              measure_id=measure_id)
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
    new, entry = update_measure(open_store(store), command_line(by), measure_id,
                                parse_day(None), status=status)
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
        moment = local_midnight(start)
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
        table.add_row(f"{local(e.at):%d.%m.%Y %H:%M}" if e.at else "–", e.actor or "–", e.kind,
                      e.key, e.action_label)
    out.print(table)
    table = Table(title=texts.CHANGES_INDICATORS.format(n=len(c.indicators)),
                  title_justify="left", expand=True)
    for column in ("Quartier", "Kennzahl", "vorher", "jetzt"):
        table.add_column(column)
    for d in c.indicators:
        table.add_row(d.quarter_name, d.label, _percent(d.before, d.indicator),
                      _percent(d.after, d.indicator))
    out.print(table)
