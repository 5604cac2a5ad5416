"""``lotse`` commands for pictures: map, matrix, report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
from graph.atomic import atomic_write_bytes
from graph.errors import LotsenError
from graph.hierarchy import quarters_in
from graph.local_time import local_midnight
from graph.network import Network
from visualisation.city import DEFAULT_LIMIT, several_quarters_scene
from visualisation.scene import Scene, quarter_scene

if TYPE_CHECKING:
    from lotsen.changes import Changes

# the page templates (jinja2) and matplotlib load only in the commands that draw, so that
# every other lotse command starts as fast as before

__all__: list[str] = []

FormatOption = Annotated[str | None, typer.Option("--format", "-f", help=texts.FORMAT_HELP,
                                                  show_default=False)]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help=texts.OUT_HELP,
                                                show_default=False)]
_PICTURES = ("html", "png", "svg", "pdf")


def _format(fmt: str | None, target: Path | None, allowed: tuple[str, ...]) -> str:
    chosen = (fmt or (target.suffix.lstrip(".") if target and target.suffix else "html")).lower()
    if chosen not in allowed:
        raise LotsenError(texts.BAD_FORMAT.format(fmt=chosen, choices=", ".join(allowed)))
    return chosen


def _one_quarter(net: Network, quarter: list[str] | None) -> str:
    if not quarter or len(quarter) != 1:
        if len(net.quarters) == 1 and not quarter:
            return net.quarters[0].id
        names = ", ".join(f"{q.id} ({q.name})" for q in net.quarters)
        raise LotsenError(texts.ONE_QUARTER.format(names=names))
    return net.find_quarter(quarter[0]).id


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "karte"


def _write(target: Path, data: bytes | str, what: str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.parent and not target.parent.exists():
        raise LotsenError(f"Der Ordner {target.parent} existiert nicht.")
    atomic_write_bytes(target, payload)
    out.print(texts.WRITTEN.format(what=what, path=target.resolve()), soft_wrap=True)


@app.command("map", help=texts.MAP_HELP)
def map_command(
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    fmt: FormatOption = None, target: OutOption = None,
    meeting: Annotated[bool, typer.Option("--meeting", help=texts.MEETING_HELP)] = False,
    focus: Annotated[str | None, typer.Option("--focus", help=texts.FOCUS_HELP,
                                              show_default=False)] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, help=texts.HOPS_HELP)] = 1,
    path_from: Annotated[str | None, typer.Option("--from", help=texts.PATH_FROM_HELP,
                                                  show_default=False)] = None,
    path_to: Annotated[str | None, typer.Option("--to", help=texts.PATH_TO_HELP,
                                                show_default=False)] = None,
    all_quarters: Annotated[bool, typer.Option("--all", help=texts.ALL_HELP)] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help=texts.LIMIT_HELP)] = DEFAULT_LIMIT,
    area: Annotated[str | None, typer.Option("--area", "--gebiet", help=texts.AREA_HELP,
                                             show_default=False)] = None,
) -> None:
    chosen = _format(fmt, target, _PICTURES)
    net = stored_network(store)
    day = parse_day(as_of)
    if area is not None:  # every quarter of a Land, Kreis, Kommune or Stadtbezirk
        quarter = [*(quarter or []), *quarters_in(net, area)]
    if (path_from is None) != (path_to is None):
        raise LotsenError(texts.PATH_BOTH)
    scene: Scene
    if all_quarters or (quarter and len(quarter) > 1):
        scene = several_quarters_scene(net, None if all_quarters else quarter, day, limit=limit)
        name = "stadt" if all_quarters else area or "quartiere"
    else:
        q = _one_quarter(net, quarter)
        path = (path_from, path_to) if path_from and path_to else None
        scene = quarter_scene(net, q, day, focus=focus, hops=hops, path=path)
        name = q
    if chosen == "html":
        from visualisation.html_map import map_html

        data: bytes | str = map_html(scene, meeting)
    else:
        from visualisation.static import scene_image

        data = scene_image(scene, chosen, meeting)
    # the meeting map has a name of its own: it never replaces the normal map
    default = f"karte-{_slug(name)}{'-besprechung' if meeting else ''}.{chosen}"
    _write(target or Path(default), data, "Kettenkarte")
    gaps = sum(1 for n in scene.nodes if n.kind == "gap")
    out.print(texts.MAP_STATS.format(nodes=len(scene.nodes),
                                     edges=texts.count(len(scene.edges), "Übergang", "Übergänge"),
                                     broken=len(scene.problem_edges), gaps=gaps))


@app.command("matrix", help=texts.MATRIX_HELP)
def matrix_command(
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    fmt: FormatOption = None, target: OutOption = None,
) -> None:
    from visualisation.matrix import matrix_image, stage_field_matrix
    from visualisation.report import matrix_html

    chosen = _format(fmt, target, _PICTURES)
    net = stored_network(store)
    q = _one_quarter(net, quarter)
    matrix = stage_field_matrix(net, q, parse_day(as_of))
    data = matrix_html(matrix) if chosen == "html" else matrix_image(matrix, chosen)
    _write(target or Path(f"matrix-{_slug(q)}.{chosen}"), data, "Matrix")
    out.print(matrix.summary)


@app.command("report", help=texts.REPORT_HELP)
def report_command(
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    target: OutOption = None,
    since: Annotated[str | None, typer.Option("--since", help=texts.SLIDES_SINCE_HELP,
                                              show_default=False)] = None,
) -> None:
    if target is not None and target.suffix.lower() not in (".html", ".htm"):
        raise LotsenError("Der Bericht ist eine HTML-Seite: bitte --out mit der Endung .html "
                          "angeben (als PDF: im Browser drucken).")
    from visualisation.report import quarter_report

    net = stored_network(store)
    q = _one_quarter(net, quarter)
    day = parse_day(as_of)
    changes = None
    if since:
        from visualisation.meeting_items import change_lines

        changes = change_lines(net, q, _changes_since(store, net, since, day))
    page = quarter_report(net, q, day, changes=changes)
    _write(target or Path(f"bericht-{_slug(q)}.html"), page, "Quartiersbericht")


@app.command("slides", help=texts.SLIDES_HELP)
def slides_command(
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    target: OutOption = None,
    all_quarters: Annotated[bool, typer.Option("--all", help=texts.SLIDES_ALL_HELP)] = False,
    since: Annotated[str | None, typer.Option("--since", help=texts.SLIDES_SINCE_HELP,
                                              show_default=False)] = None,
) -> None:
    from visualisation.slides import quarter_slides

    net = stored_network(store)
    day = parse_day(as_of)
    changes = _changes_since(store, net, since, day) if since else None

    def quarter_slides_of(q: str) -> bytes:
        from visualisation.meeting_items import change_lines

        return quarter_slides(net, q, day, changes=change_lines(net, q, changes)
                              if changes is not None else None)

    if all_quarters:
        folder = target or Path(".")
        if not folder.is_dir():
            raise LotsenError(f"Mit --all ist --out ein Ordner; {folder} ist keiner.")
        for each in net.quarters:
            _write(folder / f"folien-{_slug(each.id)}.pdf", quarter_slides_of(each.id),
                   "Folien")
        return
    if target is not None and target.suffix.lower() != ".pdf":
        raise LotsenError("Die Folien sind eine PDF-Datei: bitte --out mit der Endung .pdf "
                          "angeben.")
    q = _one_quarter(net, quarter)
    _write(target or Path(f"folien-{_slug(q)}.pdf"), quarter_slides_of(q), "Folien")


def _changes_since(store: str | None, net: Network, since: str, day: dt.date) -> Changes:
    """What changed from ``since`` (the last meeting) to ``day``, from the journal."""
    from api.stores import open_store
    from graph.journal import network_at
    from lotsen.changes import compare

    start = parse_day(since)
    moment = local_midnight(start)
    old, undone, complete = network_at(net, open_store(store).journal(), moment)
    return compare(old, net, start, day, entries=undone, complete=complete)
