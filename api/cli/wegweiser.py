"""``lotse wegweiser``: the Familienwegweiser of a quarter, one HTML and PDF per language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
from api.cli.visual import _one_quarter, _slug, _write
from graph.errors import LotsenError

__all__: list[str] = []


@app.command("wegweiser", help=texts.WEGWEISER_HELP)
def wegweiser_command(
    store: StoreOption = None, quarter: QuarterOption = None, as_of: AsOfOption = None,
    language: Annotated[str, typer.Option("--language", "--sprache", "-l",
                                          help=texts.WEGWEISER_LANGUAGE_HELP)] = "de",
    folder: Annotated[Path, typer.Option("--out", "-o", help=texts.WEGWEISER_OUT_HELP,
                                         show_default=False)] = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help=texts.WEGWEISER_PDF_HELP)] = True,
) -> None:
    from lotsen.wegweiser import guide
    from visualisation.print_pdf import html_to_pdf
    from visualisation.wegweiser import parse_languages, wegweiser_html

    languages = parse_languages(language)
    if not folder.is_dir():
        raise LotsenError(f"Der Ordner {folder} existiert nicht; bitte zuerst anlegen.")
    net = stored_network(store)
    q = _one_quarter(net, quarter)
    day = parse_day(as_of)
    g = guide(net, q, day)
    for code in languages:
        page = wegweiser_html(g, code)
        name = f"wegweiser-{_slug(q)}-{code}"
        _write(folder / f"{name}.html", page, f"Familienwegweiser ({code})")
        if pdf:
            _write(folder / f"{name}.pdf", html_to_pdf(page), f"Familienwegweiser ({code}, PDF)")
    empty = sum(1 for s in g.sections if not s.entries)
    out.print(texts.WEGWEISER_COUNT.format(offers=len(g.service_ids), day=f"{day:%d.%m.%Y}",
                                           stages=len(g.sections) - empty, missing=empty))
