"""``lotse`` commands for data: seeds, load, summary, validate, export, generate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli import texts
from api.cli.common import (
    AsOfOption,
    QuarterOption,
    StoreOption,
    app,
    err,
    out,
    parse_day,
    stored_network,
)
from api.stores import open_store
from api.usecases.exports import write_export
from api.usecases.files import (
    FileProblems,
    Incoming,
    PartialTablesOnly,
    load_document,
    read_file,
    read_source,
)
from api.usecases.imports import plan_import, take_over
from api.usecases.roles import command_line
from api.usecases.wording import hsds_replace_loses
from graph.errors import LotsenError
from graph.formats import document
from graph.merge import count_line
from graph.network import Network
from graph.repository import Repository
from lotsen.summary import NetworkSummary, summarize
from seeds import list_seeds

__all__: list[str] = []


# -- commands ------------------------------------------------------------------------


@app.command("seeds", help=texts.SEEDS_HELP)
def seeds_command() -> None:
    table = Table(title="Beispielnetze", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Inhalt")
    for info in list_seeds():
        table.add_row(info.name, info.title)
    out.print(table)
    out.print("Laden mit: [bold]lotse load brunnenstrasse[/bold]")


def _counts(net: Network) -> dict[str, str]:
    """The sizes of ``net`` with their nouns in the right number."""
    return {"quarters": texts.count(len(net.quarters), "Quartier", "Quartiere"),
            "services": texts.count(len(net.services), "Angebot", "Angebote"),
            "transitions": texts.count(len(net.transitions), "Übergang", "Übergänge"),
            "agreements": texts.count(len(net.agreements), "Vereinbarung", "Vereinbarungen")}


def _saved(incoming: Incoming, repo: Repository) -> None:
    """Replace the store by the file's network and say so (load and import share this):
    what it replaces is said, and that state is kept as a backup first."""
    who = command_line()
    plan = plan_import(repo, who, incoming)
    if plan.before is not None:
        err.print(texts.REPLACE_SUMMARY.format(name=plan.before.name,
                                               counts=count_line(plan.changes)),
                  soft_wrap=True)
    taken = take_over(repo, who, plan.network)
    net = plan.network
    out.print(texts.LOADED.format(
        name=net.name, where=repo.location, **_counts(net)))
    if taken.backup is not None:
        out.print(texts.BACKUP_KEPT.format(path=taken.backup))


@app.command("load", help=texts.LOAD_HELP)
def load_command(
    source: Annotated[str, typer.Argument(metavar="QUELLE",
                                          help=texts.SOURCE_HELP, show_default=False)],
    store: StoreOption = None,
    quarter: QuarterOption = None,
) -> None:
    net = read_source(source, quarter)
    repo = open_store(store)
    before = None if repo.is_empty() else repo.load()
    _saved(Incoming(net, "document", source), repo)
    if before is not None:
        out.print(texts.REPLACED.format(name=before.name, services=_counts(before)["services"]))


@app.command("summary", help=texts.SUMMARY_HELP)
def summary_command(store: StoreOption = None, quarter: QuarterOption = None,
                    as_of: AsOfOption = None) -> None:
    net = stored_network(store, quarter)
    _print_summary(summarize(net, parse_day(as_of)))


@app.command("validate", help=texts.VALIDATE_HELP)
def validate_command(
    files: Annotated[list[Path], typer.Argument(metavar="DATEIEN", help=texts.VALIDATE_FILES_HELP,
                                                show_default=False)],
) -> None:
    failed = 0
    for path in files:
        try:
            net = load_document(path)
        except LotsenError as exc:
            failed += 1
            err.print(f"[red]✗[/red] {exc}", soft_wrap=True)
        else:
            counts = _counts(net)
            out.print(texts.VALID.format(path=path, quarters=counts["quarters"],
                                         services=counts["services"],
                                         transitions=counts["transitions"]))
    if failed:
        raise typer.Exit(1)


@app.command("export", help=texts.EXPORT_HELP)
def export_command(
    target: Annotated[Path, typer.Argument(metavar="DATEI",
                                           help=texts.EXPORT_TARGET_HELP, show_default=False)],
    store: StoreOption = None,
    quarter: QuarterOption = None,
    shape: Annotated[str | None, typer.Option("--format", help=texts.EXPORT_FORMAT_HELP,
                                              show_default=False)] = None,
) -> None:
    net = stored_network(store, quarter)
    versions = None
    if target.suffix.lower() in (".xlsx", "") and shape is None:
        # each row with its version: 'lotse import --merge' refuses rows changed since
        versions = open_store(store).journal().version
    written = write_export(net, target, versions, shape)
    for note in written.notes:
        out.print(texts.HSDS_NOT_EXPORTED.format(note=note))
    if written.events is not None:
        if not written.events:
            out.print(texts.ICS_EMPTY)
        dated = sum(1 for a in net.agreements if a.review_date or a.valid_until)
        out.print(texts.ICS_WRITTEN.format(path=target, events=(
            texts.count(written.events, "Termin", "Termine") + " aus "
            + texts.count(dated, "Vereinbarung", "Vereinbarungen")) if written.events
            else "keine Termine"))
        return
    out.print(texts.EXPORTED.format(path=target, services=_counts(net)["services"]))


@app.command("generate", help=texts.GENERATE_HELP)
def generate_command(
    target: Annotated[Path, typer.Argument(metavar="DATEI", help=texts.GENERATE_TARGET_HELP,
                                           show_default=False)],
    quarters: Annotated[int, typer.Option("--quarters", min=1, help="Anzahl Quartiere.")] = 10,
    services: Annotated[int, typer.Option("--services", min=14,
                                          help="Angebote je Quartier.")] = 200,
    defects: Annotated[int | None, typer.Option(
        "--defects", min=0, help="Eingebaute Mängel (Standard: eins je Quartier).",
        show_default=False)] = None,
    seed: Annotated[int, typer.Option("--seed", help="Zufallsstartwert.")] = 0,
    as_of: AsOfOption = None,
) -> None:
    from graph.atomic import atomic_write_text
    from seeds.synthetic import DEFAULT_AS_OF, generate

    day = parse_day(as_of) if as_of else DEFAULT_AS_OF
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} Quartiere"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("Erzeuge Netz", total=quarters)
        syn = generate(quarters=quarters, services_per_quarter=services, defects=defects,
                       seed=seed, as_of=day,
                       progress=lambda done, _total: progress.update(task, completed=done))
        progress.update(task, description="Schreibe Datei")
        document.save(syn.network, target)
    ledger = target.with_name(target.name + ".maengel.json")
    atomic_write_text(ledger, json.dumps(
        {"as_of": syn.as_of.isoformat(),
         "defects": [{"code": d.code, "quarter": d.quarter, "ids": list(d.ids)}
                     for d in syn.defects]}, ensure_ascii=False, indent=1))
    out.print(texts.GENERATED.format(
        path=target, quarters=texts.count(quarters, "Quartier", "Quartiere"),
        services=texts.count(len(syn.network.services), "Angebot", "Angebote"),
        transitions=texts.count(len(syn.network.transitions), "Übergang", "Übergänge"),
        defects=texts.count(len(syn.defects), "eingebauter Mangel", "eingebaute Mängel"),
        ledger=ledger))


# -- rendering --------------------------------------------------------------------------


def _print_summary(summary: NetworkSummary) -> None:
    t = summary.totals
    out.print(f"[bold]{summary.name}[/bold] – Stand {summary.as_of:%d.%m.%Y}")
    out.print(texts.TOTALS.format(
        quarters=texts.count(t["quarters"], "Quartier", "Quartiere"), providers=t["providers"],
        services=texts.count(t["services"], "Angebot", "Angebote"),
        transitions=texts.count(t["transitions"], "Übergang", "Übergänge"),
        agreements=texts.count(t["agreements"], "Vereinbarung", "Vereinbarungen"),
        referral_flows=texts.count(t["referral_flows"], "Vermittlungszahl",
                                   "Vermittlungszahlen")))
    table = Table(title="Quartiere", title_justify="left")
    table.add_column("Quartier", no_wrap=True)
    table.add_column("Stadtbezirk")
    for column in ("Angebote", "inaktiv", "Träger", "Übergänge", "Vereinb."):
        table.add_column(column, justify="right")
    for q in summary.quarters:
        table.add_row(q.name, q.district, str(q.services), str(q.inactive_services),
                      str(q.providers), str(q.transitions), str(q.agreements))
    out.print(table)
    stages = Table(title="Aktive Angebote je Lebensphase", title_justify="left")
    stages.add_column("Quartier", no_wrap=True)
    for name in summary.stage_names.values():
        stages.add_column(name, justify="right", no_wrap=True)
    for q in summary.quarters:
        cells = [str(n) if n else "[bold red]Lücke[/bold red]" for n in q.by_stage.values()]
        stages.add_row(q.name, *cells)
    out.print(stages)
    gaps = [(q.name, summary.stage_names[s]) for q in summary.quarters for s in q.empty_stages]
    if gaps:
        out.print("[red]" + texts.GAPS + "[/red] " +
                  "; ".join(f"{q}: {s}" for q, s in gaps))


@app.command("template", help=texts.TEMPLATE_HELP)
def template_command(
    target: Annotated[Path, typer.Argument(metavar="ZIEL", help=texts.TEMPLATE_TARGET_HELP,
                                           show_default=False)],
) -> None:
    from graph.formats.csvfolder import write_tables
    from graph.formats.workbook import template_tables, write_template

    if target.suffix.lower() == ".xlsx":
        write_template(target)
    elif target.suffix == "":
        write_tables(template_tables(), target)
    else:
        raise LotsenError(texts.TEMPLATE_SUFFIX)
    out.print(texts.TEMPLATE_WRITTEN.format(path=target))


@app.command("import", help=texts.IMPORT_HELP + texts.IMPORT_MERGE_HELP)
def import_command(
    source: Annotated[Path, typer.Argument(metavar="QUELLE",
                                           help=texts.IMPORT_SOURCE_HELP, show_default=False)],
    store: StoreOption = None,
    partial: Annotated[bool, typer.Option("--partial", help=texts.PARTIAL_HELP)] = False,
    merge: Annotated[bool, typer.Option("--merge", help=texts.MERGE_HELP)] = False,
    prune: Annotated[bool, typer.Option("--prune", help=texts.PRUNE_HELP)] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=texts.DRY_RUN_HELP)] = False,
) -> None:
    incoming = read_file_reporting(source, partial)
    if incoming.kind == "hsds" and not merge:
        # a full replace loses what HSDS does not carry: say so first
        plan = plan_import(open_store(store), command_line(), incoming)
        if loses := hsds_replace_loses(plan.lost_social_years, "--merge"):
            err.print(f"[yellow]Hinweis:[/yellow] {loses}", soft_wrap=True)
    if merge or prune or dry_run:
        from api.cli.merge import import_merged

        import_merged(incoming, source, store, merge, prune, dry_run)
        return
    _saved(incoming, open_store(store))


def read_file_reporting(source: Path, partial: bool) -> Incoming:
    """The file's network, its notes and left-out rows said on the way; a table file with
    problems names each, then fails."""
    try:
        incoming = read_file(source, partial)
    except PartialTablesOnly:
        raise LotsenError(texts.PARTIAL_TABLES_ONLY) from None
    except FileProblems as exc:
        for problem in exc.problems:
            err.print(f"[red]✗[/red] {problem}", soft_wrap=True)
        raise LotsenError(texts.IMPORT_FAILED.format(
            path=source, n=texts.count(len(exc.problems), "Problem", "Probleme"))) from None
    for note in incoming.notes:
        err.print(f"[yellow]Hinweis:[/yellow] {note}", soft_wrap=True)
    if incoming.skipped:
        err.print(texts.IMPORT_SKIPPED.format(n=texts.count(len(incoming.skipped), "Zeile",
                                                            "Zeilen")))
        for problem in incoming.skipped:
            err.print(f"  – {problem}", soft_wrap=True)
    return incoming
