"""``lotse``: the command line of the lotsensystem (a thin loop over the library).

Every command prints German text; every error is one clear message (exit code 1),
never a traceback. ``LOTSE_DEBUG=1`` shows the traceback of unexpected errors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api import texts
from api.stores import STORE_ENV, open_store
from graph.errors import InvalidNetworkError, LotsenError, NotFoundError
from graph.formats import document
from graph.network import Network
from lotsen.summary import NetworkSummary, summarize
from seeds import list_seeds, load_seed

__all__ = ["app", "main"]

app = typer.Typer(
    name="lotse",
    help=texts.APP_HELP,
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_WIDE = None if sys.stdout.isatty() else 140  # piped output: wide enough for the tables
out = Console(highlight=False, width=_WIDE)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 140)

StoreOption = Annotated[str | None, typer.Option(
    "--store", "-s", help=texts.STORE_HELP, envvar=STORE_ENV, show_default=False)]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help=texts.AS_OF_HELP, show_default=False)]
QuarterOption = Annotated[list[str] | None, typer.Option(
    "--quarter", "-q", help=texts.QUARTER_HELP, show_default=False)]


def parse_day(text: str | None) -> dt.date:
    """A date from the command line (JJJJ-MM-TT or TT.MM.JJJJ); today when empty."""
    if not text:
        return dt.date.today()
    from pydantic import TypeAdapter, ValidationError

    from graph.model import Date

    try:
        return TypeAdapter(Date).validate_python(text)
    except ValidationError:
        raise LotsenError(texts.BAD_DATE.format(value=text)) from None


def _read_source(source: str, quarters: list[str] | None = None) -> Network:
    """A seed by name or a network document by path."""
    path = Path(source)
    seed_names = [s.name for s in list_seeds()]
    if source in seed_names:
        net = load_seed(source)
    elif path.exists() or path.suffix.lower() in (".yaml", ".yml", ".json"):
        net = document.load(path)
    else:
        raise NotFoundError("Datei oder Beispielnetz", source, seed_names)
    if quarters:
        ids = [net.find_quarter(q).id for q in quarters]
        net = net.restricted_to(ids)
    return net


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


@app.command("load", help=texts.LOAD_HELP)
def load_command(
    source: Annotated[str, typer.Argument(help=texts.SOURCE_HELP, show_default=False)],
    store: StoreOption = None,
    quarter: QuarterOption = None,
) -> None:
    net = _read_source(source, quarter)
    repo = open_store(store)
    before = None if repo.is_empty() else repo.load()
    repo.save(net)
    out.print(texts.LOADED.format(
        name=net.name, where=repo.location, quarters=len(net.quarters),
        services=len(net.services), transitions=len(net.transitions),
        agreements=len(net.agreements)))
    if before is not None:
        out.print(texts.REPLACED.format(name=before.name, services=len(before.services)))


@app.command("summary", help=texts.SUMMARY_HELP)
def summary_command(store: StoreOption = None, quarter: QuarterOption = None,
                    as_of: AsOfOption = None) -> None:
    net = open_store(store).load()
    if quarter:
        net = net.restricted_to([net.find_quarter(q).id for q in quarter])
    _print_summary(summarize(net, parse_day(as_of)))


@app.command("validate", help=texts.VALIDATE_HELP)
def validate_command(
    files: Annotated[list[Path], typer.Argument(help=texts.VALIDATE_FILES_HELP,
                                                show_default=False)],
) -> None:
    failed = 0
    for path in files:
        try:
            net = document.load(path)
        except InvalidNetworkError as exc:
            failed += 1
            err.print(f"[red]✗[/red] {exc}", soft_wrap=True)
        except LotsenError as exc:
            failed += 1
            err.print(f"[red]✗[/red] {exc}", soft_wrap=True)
        else:
            out.print(texts.VALID.format(path=path, quarters=len(net.quarters),
                                         services=len(net.services),
                                         transitions=len(net.transitions)))
    if failed:
        raise typer.Exit(1)


@app.command("export", help=texts.EXPORT_HELP)
def export_command(
    target: Annotated[Path, typer.Argument(help=texts.EXPORT_TARGET_HELP, show_default=False)],
    store: StoreOption = None,
    quarter: QuarterOption = None,
) -> None:
    net = open_store(store).load()
    if quarter:
        net = net.restricted_to([net.find_quarter(q).id for q in quarter])
    document.save(net, target)
    out.print(texts.EXPORTED.format(path=target, services=len(net.services)))


@app.command("generate", help=texts.GENERATE_HELP)
def generate_command(
    target: Annotated[Path, typer.Argument(help=texts.GENERATE_TARGET_HELP,
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
    out.print(texts.GENERATED.format(path=target, quarters=quarters,
                                     services=len(syn.network.services),
                                     transitions=len(syn.network.transitions),
                                     defects=len(syn.defects), ledger=ledger))


# -- rendering --------------------------------------------------------------------------


def _print_summary(summary: NetworkSummary) -> None:
    t = summary.totals
    out.print(f"[bold]{summary.name}[/bold] – Stand {summary.as_of:%d.%m.%Y}")
    out.print(texts.TOTALS.format(**t))
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


def main() -> None:
    """Entry point of the ``lotse`` console script."""
    try:
        app()
    except LotsenError as exc:
        err.print(f"[bold red]Fehler:[/bold red] {exc}", soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print(texts.INTERRUPTED)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("LOTSE_DEBUG"):
            raise
        err.print(texts.INTERNAL_ERROR.format(kind=type(exc).__name__, error=exc),
                  soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
