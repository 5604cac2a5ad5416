"""``lotse`` commands for the analysis: check, owner, next, indicators, compare, impact."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

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
    quarters_network,
    stored_network,
)
from api.cli.transfer import other_network, print_transfer
from api.cli.years import print_years
from api.stores import open_store
from graph.errors import LotsenError
from graph.hierarchy import LEVEL_NAMES, quarters_in
from lotsen.acceptance import Triage, triage
from lotsen.check import check, sort_findings
from lotsen.compare import area_link_matrix, compare, link_matrix
from lotsen.findings import Finding, Severity
from lotsen.impact import impact
from lotsen.indicators import Indicators, quarter_indicators, rollup
from lotsen.navigator import next_services
from lotsen.ownership import (
    ResponsibilityRow,
    find_transition,
    owned_by,
    owner_of,
    responsibility_table,
    unowned,
)
from lotsen.priority import families_label, prioritise
from lotsen.settings import AnalysisSettings
from lotsen.transfer import transfer
from lotsen.years import parse_years, yearly

__all__: list[str] = []

JsonOption = Annotated[bool, typer.Option("--json", help=texts.JSON_HELP)]
HorizonOption = Annotated[int, typer.Option("--horizon", min=0, help=texts.HORIZON_HELP)]
LossOption = Annotated[float, typer.Option("--loss-rate", min=0.0, max=1.0,
                                           help=texts.LOSS_HELP)]
CapacityOption = Annotated[float, typer.Option("--capacity-ratio", min=0.0,
                                               help=texts.CAPACITY_HELP)]
_SEVERITY_STYLE = {Severity.CRITICAL: "bold red", Severity.HIGH: "red",
                   Severity.MEDIUM: "yellow", Severity.LOW: "cyan"}


def _settings(horizon: int, loss_rate: float, capacity_ratio: float) -> AnalysisSettings:
    return AnalysisSettings(expiry_horizon_days=horizon, loss_rate=loss_rate,
                            capacity_ratio=capacity_ratio)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_findings(findings: Sequence[Finding], title: str) -> None:
    """Findings grouped by severity, most severe first (also used by ``make run``); each
    with the families affected per year and its key (to accept it)."""
    out.print(f"[bold]{title}[/bold]")
    if not findings:
        out.print(texts.NO_FINDINGS)
        return
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    out.print(" · ".join(f"[{_SEVERITY_STYLE[s]}]{n} {s.label}[/]"
                         for s, n in sorted(counts.items(), reverse=True) if n))
    for severity in sorted(Severity, reverse=True):
        group = [f for f in findings if f.severity is severity]
        if not group:
            continue
        table = Table(title=f"{severity.label.capitalize()} ({len(group)})", title_justify="left",
                      title_style=_SEVERITY_STYLE[severity], show_lines=True, expand=True)
        table.add_column("Befund", ratio=3, min_width=28, overflow="fold")  # key kept whole
        table.add_column("Was ist los", ratio=5)
        table.add_column("Nächster Schritt", ratio=3)
        table.add_column("Familien im Jahr", justify="right")
        for f in group:
            table.add_row(f"{f.title}\n[dim]{f.stable_key}[/dim]", f.message, f.next_step,
                          families_label(f))
        out.print(table)


def print_top(findings: Sequence[Finding], title: str) -> None:
    """„Die wichtigsten Baustellen“: ranked findings, one row each."""
    out.print(f"[bold]{title}[/bold]")
    if not findings:
        out.print(texts.NO_FINDINGS)
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("Rang", justify="right")
    table.add_column("Befund", ratio=3, min_width=28, overflow="fold")
    table.add_column("Was ist los", ratio=5)
    table.add_column("Nächster Schritt", ratio=3)
    table.add_column("Familien im Jahr", justify="right")
    for f in findings:
        table.add_row(str(f.rank), f"{f.title}\n[{_SEVERITY_STYLE[f.severity]}]"
                      f"{f.severity.label}[/]\n[dim]{f.stable_key}[/dim]", f.message,
                      f.next_step, families_label(f))
    out.print(table)


def print_accepted(t: Triage) -> None:
    """Accepted findings with reason, role and date; those back and those resolved."""
    table = Table(title=texts.ACCEPTED_TITLE.format(n=len(t.accepted)), title_justify="left",
                  show_lines=True, expand=True)
    table.add_column("Befund", overflow="fold")
    for column in ("Was ist los", "Grund", "Wer, wann", "bis"):
        table.add_column(column)
    for f, a in t.accepted:
        table.add_row(f"{f.title}\n[dim]{f.stable_key}[/dim]", f.message, a.reason,
                      f"{a.by}, {a.on:%d.%m.%Y}", f"{a.until:%d.%m.%Y}" if a.until else "–")
    out.print(table)
    for f, a in t.expired:
        out.print(texts.ACCEPTED_BACK.format(key=f.stable_key, until=a.until))
    for a in t.resolved:
        out.print(texts.ACCEPTED_RESOLVED.format(key=a.key))


TopOption = Annotated[int | None, typer.Option("--top", min=1, help=texts.TOP_HELP,
                                               show_default=False)]
AcceptedOption = Annotated[bool, typer.Option("--accepted", help=texts.ACCEPTED_HELP)]


@app.command("check", help=texts.CHECK_HELP)
def check_command(store: StoreOption = None, quarter: QuarterOption = None,
                  as_of: AsOfOption = None, as_json: JsonOption = False,
                  horizon: HorizonOption = 90, loss_rate: LossOption = 0.3,
                  capacity_ratio: CapacityOption = 1.0, top: TopOption = None,
                  accepted: AcceptedOption = False) -> None:
    net = quarters_network(store, quarter)  # a SQLite store reads only their part
    day = parse_day(as_of)
    findings = check(net, day, _settings(horizon, loss_rate, capacity_ratio),
                     quarters=quarter or None)
    t = triage(net, findings, day)
    ranked = prioritise(t.open)
    shown = ranked[:top] if top else sort_findings(ranked)
    if as_json:
        _print_json({"as_of": day.isoformat(), "findings": [f.to_dict() for f in shown],
                     "accepted": [{**f.to_dict(), "acceptance": a.model_dump(mode="json")}
                                  for f, a in t.accepted],
                     "accepted_count": t.accepted_count})
        return
    where = ", ".join(net.find_quarter(q).name for q in quarter) if quarter else net.name
    if accepted:
        print_accepted(t)
        return
    if top:
        print_top(shown, texts.TOP_TITLE.format(n=len(shown), where=where, day=day))
    else:
        print_findings(shown, texts.CHECK_TITLE.format(where=where, day=day))
    if t.accepted:
        out.print(texts.ACCEPTED_HIDDEN.format(n=t.accepted_count))


def _print_rows(rows: Sequence[ResponsibilityRow], title: str) -> None:
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("Übergang", "Art", "Verantwortlich", "Vereinbarung", "Status", "gültig bis",
                   "Datenschutz"):
        table.add_column(column)
    for r in rows:
        owner = r.owner_name or "[bold red]niemand[/bold red]"
        if r.owner_name and r.agreements and not r.owner_signed:
            owner += " [yellow](nicht unterschrieben)[/yellow]"
        status = r.status if r.status == "verbindlich" else f"[red]{r.status}[/red]"
        table.add_row(r.label, texts.KIND_LABELS.get(r.kind, r.kind), owner,
                      "; ".join(r.agreement_names) or "–", status,
                      f"{r.valid_until:%d.%m.%Y}" if r.valid_until else "–",
                      r.data_protection if r.data_protection_ok
                      else f"[red]{r.data_protection}[/red]")
    out.print(table)


@app.command("owner", help=texts.OWNER_HELP)
def owner_command(
    transition: Annotated[str | None, typer.Argument(metavar="ÜBERGANG",
                                                     help=texts.OWNER_TRANSITION_HELP,
                                                     show_default=False)] = None,
    source: Annotated[str | None, typer.Option("--from", help=texts.OWNER_FROM_HELP,
                                               show_default=False)] = None,
    target: Annotated[str | None, typer.Option("--to", help=texts.OWNER_TO_HELP,
                                               show_default=False)] = None,
    provider: Annotated[str | None, typer.Option("--provider", help=texts.OWNER_PROVIDER_HELP,
                                                 show_default=False)] = None,
    only_unowned: Annotated[bool, typer.Option("--unowned", help=texts.OWNER_UNOWNED_HELP)] = False,
    quarter: Annotated[str | None, typer.Option("--quarter", "-q", help=texts.QUARTER_ONE_HELP,
                                                show_default=False)] = None,
    store: StoreOption = None, as_of: AsOfOption = None, as_json: JsonOption = False,
) -> None:
    net = stored_network(store)
    day = parse_day(as_of)
    if transition is not None:
        rows = [owner_of(net, transition, day)]
        title = texts.OWNER_ONE
    elif source or target:
        if not (source and target):
            raise LotsenError(texts.OWNER_BOTH)
        t = find_transition(net, source, target, quarter)
        rows = [owner_of(net, t.id, day)]
        title = texts.OWNER_ONE
    elif provider is not None:
        rows = owned_by(net, provider, day)
        title = texts.OWNER_PROVIDER.format(provider=provider)
    elif only_unowned:
        rows = unowned(net, quarter, day)
        title = texts.OWNER_UNOWNED
    else:
        rows = responsibility_table(net, quarter, day)
        where = net.find_quarter(quarter).name if quarter else net.name
        title = texts.OWNER_TABLE.format(where=where, day=day)
    if as_json:
        _print_json([r.__dict__ | {"label": r.label} for r in rows])
        return
    _print_rows(rows, title)
    if transition is not None or source:
        r = rows[0]
        out.print(texts.OWNER_ANSWER.format(label=r.label, owner=r.owner_name or "niemand",
                                            status=r.status))


@app.command("next", help=texts.NEXT_HELP)
def next_command(
    quarter: Annotated[str, typer.Option("--quarter", "-q", help=texts.QUARTER_ONE_HELP,
                                         show_default=False)],
    age: Annotated[int, typer.Option("--age", min=-9, max=240, help=texts.AGE_HELP,
                                     show_default=False)],
    language: Annotated[str | None, typer.Option("--language", help=texts.LANGUAGE_HELP,
                                                 show_default=False)] = None,
    need: Annotated[list[str] | None, typer.Option("--need", help=texts.NEED_HELP,
                                                   show_default=False)] = None,
    current: Annotated[str | None, typer.Option("--from", help=texts.CURRENT_HELP,
                                                show_default=False)] = None,
    store: StoreOption = None, as_of: AsOfOption = None, as_json: JsonOption = False,
) -> None:
    net = stored_network(store)
    answer = next_services(net, quarter, age, language, need or (), current, parse_day(as_of))
    if as_json:
        _print_json({
            "quarter": answer.quarter, "age_months": answer.age_months,
            "stages": answer.stages, "notes": answer.notes,
            "finding": answer.finding.to_dict() if answer.finding else None,
            "suggestions": [s.__dict__ | {"path": [r.__dict__ for r in s.path or ()]
                                          if s.path is not None else None}
                            for s in answer.suggestions]})
        return
    out.print(texts.NEXT_TITLE.format(age=age, stages=", ".join(answer.stages)))
    for note in answer.notes:
        out.print(f"[yellow]Hinweis:[/yellow] {note}")
    if answer.finding is not None:
        out.print(f"[bold red]{answer.finding.message}[/bold red]")
        out.print(f"Nächster Schritt: {answer.finding.next_step}")
    for i, s in enumerate(answer.suggestions, 1):
        lang = "" if s.speaks_family_language else " [yellow](nicht in der Familiensprache)[/]"
        out.print(f"\n[bold]{i}. {s.name}[/bold] – {s.provider_name}{lang}")
        out.print(f"   Lebensphasen: {', '.join(s.stages)} · Sprachen: {', '.join(s.languages)}")
        if s.path is None:
            out.print(f"   [red]{texts.NEXT_NO_PATH}[/red]")
        elif not s.path:
            out.print(f"   {texts.NEXT_START}")
        for r in s.path or ():
            owner = r.owner_name or "[red]niemand[/red]"
            until = f" bis {r.valid_until:%d.%m.%Y}" if r.valid_until else ""
            out.print(f"   → {r.label}: verantwortlich {owner}; {r.status}{until}")


def _print_indicators(rows: Sequence[Indicators]) -> None:
    def pct(x: float | None) -> str:
        return "–" if x is None else f"{x:.0%}"

    table = Table(title="Kennzahlen", title_justify="left")
    for column in ("Gebiet", "Abdeckung", "verbindlich", "Kontinuität", "Perlen",
                   "laufen aus", "Verlust", "Befunde"):
        table.add_column(column, justify="left" if column == "Gebiet" else "right")
    for r in rows:
        table.add_row(r.name, pct(r.stage_coverage), pct(r.binding_share), pct(r.continuity),
                      str(r.pearls), str(r.expiring_agreements), pct(r.loss_rate),
                      str(sum(r.findings.values())))
    out.print(table)
    out.print(texts.INDICATORS_LEGEND)


def _level(level: str) -> str:
    """The level named in English or German (``kommune``), or a clear error."""
    levels = {"quarter": "quarter", "quartier": "quarter", "district": "district",
              "bezirk": "district", "municipality": "municipality", "kommune": "municipality",
              "county": "county", "kreis": "county", "state": "state", "land": "state"}
    if level.casefold() not in levels:
        raise LotsenError(texts.BAD_LEVEL.format(level=level))
    return levels[level.casefold()]


@app.command("indicators", help=texts.INDICATORS_HELP)
def indicators_command(
    level: Annotated[str, typer.Option("--level", help=texts.LEVEL_HELP)] = "quarter",
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    as_json: JsonOption = False,
    years: Annotated[str | None, typer.Option("--years", "--jahre", help=texts.YEARS_HELP,
                                              show_default=False)] = None,
) -> None:
    net = stored_network(store)
    day = parse_day(as_of)
    chosen = _level(level)
    if years is not None:
        try:
            wanted_years = parse_years(years)
        except ValueError as exc:
            raise LotsenError(str(exc)) from None
        journal = open_store(store).journal()  # past years as they were recorded
        print_years(yearly(net, wanted_years, chosen, quarter or None, day,
                           journal=journal), as_json)
        return
    if chosen == "quarter":
        wanted = quarter or [q.id for q in net.quarters]
        rows = [quarter_indicators(net, q, day) for q in wanted]
    else:
        rows = rollup(net, chosen, day, quarters=quarter or None)
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    _print_indicators(rows)


@app.command("compare", help=texts.COMPARE_HELP)
def compare_command(
    quarters: Annotated[list[str] | None, typer.Argument(metavar="QUARTIERE",
                                                         help=texts.COMPARE_QUARTERS_HELP,
                                                         show_default=False)] = None,
    store: StoreOption = None, as_of: AsOfOption = None, as_json: JsonOption = False,
    other: Annotated[str | None, typer.Option("--with", help=texts.COMPARE_WITH_HELP,
                                              show_default=False)] = None,
    level: Annotated[str, typer.Option("--level", "--ebene",
                                       help=texts.COMPARE_LEVEL_HELP)] = "quarter",
    area: Annotated[str | None, typer.Option("--area", "--gebiet", help=texts.COMPARE_AREA_HELP,
                                             show_default=False)] = None,
) -> None:
    net = stored_network(store)
    day = parse_day(as_of)
    chosen = _level(level)
    if area is not None or chosen != "quarter":  # the links per area, or within one area
        wanted = [*(quarters or []), *(quarters_in(net, area) if area is not None else [])]
        _print_link_matrix(net, wanted or None, chosen, day, as_json)
        return
    if other is not None or (quarters and len(quarters) == 2 and not as_json):
        # the Transferbörse: two quarters, the second perhaps from another file
        if not quarters or len(quarters) != 2:
            raise LotsenError(texts.COMPARE_WITH_TWO)
        second = other_network(other) if other is not None else net
        moved = transfer(net, quarters[0], second, quarters[1], day)
        if as_json:
            _print_json(moved.to_dict())
            return
        print_transfer(moved)
        return
    if quarters and len(quarters) == 2:
        result = compare(net, quarters[0], quarters[1], day)
        a, b = net.find_quarter(quarters[0]).name, net.find_quarter(quarters[1]).name
        if as_json:
            _print_json({"first": result.first, "second": result.second,
                         "only_in_first": [x.__dict__ for x in result.only_in_first],
                         "only_in_second": [x.__dict__ for x in result.only_in_second],
                         "shared": [x.__dict__ for x in result.shared]})
            return
        for title, links, owner in ((texts.COMPARE_ONLY.format(a=a, b=b), result.only_in_first,
                                     result.first),
                                    (texts.COMPARE_ONLY.format(a=b, b=a), result.only_in_second,
                                     result.second)):
            table = Table(title=title, title_justify="left", show_lines=True)
            table.add_column("Glied der Kette")
            table.add_column("Beispiel")
            table.add_column("abgesichert")
            for link in links:
                table.add_row(link.label, "\n".join(link.examples[owner]),
                              "ja" if link.backed[owner] else "[red]nein[/red]")
            out.print(table if links else f"[bold]{title}[/bold]: –")
        out.print(texts.COMPARE_SHARED.format(n=len(result.shared)))
        return
    _print_link_matrix(net, quarters or None, "quarter", day, as_json)


def _print_link_matrix(net: Any, quarters: list[str] | None, level: str, day: Any,
                       as_json: bool) -> None:
    """Which links each quarter (or each area of ``level``) has, as a table or JSON."""
    columns: list[tuple[str, str]]  # (key in the links, column head)
    if level == "quarter":
        links = link_matrix(net, quarters, day)
        found = [net.find_quarter(q) for q in (quarters or [q.id for q in net.quarters])]
        columns = [(q.id, q.name) for q in found]
        title = texts.COMPARE_MATRIX
    else:
        links = area_link_matrix(net, level, day, quarters)
        names = dict.fromkeys(a for x in links for a in x.examples)
        columns = [(a, a) for a in names]
        title = texts.COMPARE_AREA_MATRIX.format(level=LEVEL_NAMES[level])
    if as_json:
        _print_json([x.__dict__ for x in links])
        return
    table = Table(title=title, title_justify="left")
    table.add_column("Glied der Kette")
    for _, head in columns:
        table.add_column(head, justify="center")
    for link in links:
        cells = [("✓" if link.backed[key] else "[yellow]○[/yellow]") if key in link.examples
                 else "[red]–[/red]" for key, _ in columns]
        table.add_row(link.label, *cells)
    out.print(table)
    out.print(texts.COMPARE_LEGEND)


@app.command("impact", help=texts.IMPACT_HELP)
def impact_command(
    provider: Annotated[str | None, typer.Option("--provider", help=texts.IMPACT_PROVIDER_HELP,
                                                 show_default=False)] = None,
    service: Annotated[str | None, typer.Option("--service", help=texts.IMPACT_SERVICE_HELP,
                                                show_default=False)] = None,
    store: StoreOption = None, as_of: AsOfOption = None, as_json: JsonOption = False,
) -> None:
    if (provider is None) == (service is None):
        raise LotsenError(texts.IMPACT_ONE)
    net = stored_network(store)
    day = parse_day(as_of)
    result = impact(net, provider, service, day)
    if as_json:
        _print_json({"removed_services": result.removed_services,
                     "removed_provider": result.removed_provider,
                     "appeared": [f.to_dict() for f in result.appeared],
                     "resolved": [f.to_dict() for f in result.resolved]})
        return
    names = ", ".join(net.service_index[s].name for s in result.removed_services)
    out.print(texts.IMPACT_TITLE.format(names=names, day=day))
    print_findings(result.appeared, texts.IMPACT_APPEARED.format(n=len(result.appeared)))
    if result.resolved:
        out.print(texts.IMPACT_RESOLVED.format(n=len(result.resolved)))
        for f in result.resolved:
            out.print(f"  – {f.title}: {f.message}")
