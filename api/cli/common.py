"""What every ``lotse`` command shares: the app, the consoles, common options."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer
from rich.console import Console

from api.cli import german, texts
from api.stores import STORE_ENV, open_store
from api.usecases.files import read_source
from graph.backends.sqlite import SqliteRepository
from graph.errors import LotsenError
from graph.network import Network

__all__ = ["AsOfOption", "QuarterOption", "StoreOption", "app", "err", "out", "parse_day",
           "quarters_network", "read_source", "stored_network"]

german.install()
app = german.GermanTyper(
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


def stored_network(store: str | None, quarters: list[str] | None = None) -> Network:
    """The network in the store, optionally cut down to some quarters."""
    net = quarters_network(store, quarters)
    if quarters:
        net = net.restricted_to([net.find_quarter(q).id for q in quarters])
    return net


def quarters_network(store: str | None, quarters: list[str] | None) -> Network:
    """What a question about ``quarters`` needs: from a SQLite store only their part
    (read through its indexes, see ``SqliteRepository.load_quarters``), else the whole
    network. Either answers the question the same."""
    repo = open_store(store)
    if quarters and isinstance(repo, SqliteRepository):
        return repo.load_quarters(quarters)
    return repo.load()
