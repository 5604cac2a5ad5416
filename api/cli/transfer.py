"""``lotse compare`` as a Transferbörse: two quarters, also from another file (``--with``),
with what the place that has a link can pass on to the one that lacks it."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from api.cli import texts
from api.cli.common import out, read_source
from api.stores import open_store
from graph.network import Network
from lotsen.transfer import Offer, Transfer, TransferLink

__all__ = ["other_network", "print_transfer"]

_STORE_MARK = '"lotsensystem-speicher"'


def other_network(spec: str) -> Network:
    """The network to compare with: a store (file or neo4j://…), a network document
    (YAML/JSON) or a seed by name."""
    if "://" in spec:
        return open_store(spec).load()
    path = Path(spec)
    if path.is_file() and path.suffix.lower() == ".json":
        with path.open(encoding="utf-8", errors="replace") as f:
            head = f.read(400)
        if _STORE_MARK in head.replace(" ", ""):
            return open_store(spec).load()
    return read_source(spec)


def _examples(offers: list[Offer]) -> str:
    return "\n".join(o.example for o in offers)


def _backed(offers: list[Offer]) -> str:
    return "ja" if any(o.backed for o in offers) else "[red]nein[/red]"


def _lessons(offers: list[Offer]) -> str:
    return "\n".join(o.lessons for o in offers if o.lessons) or "–"


def _table(title: str, links: list[TransferLink], first: bool) -> Table | str:
    if not links:
        return f"[bold]{title}[/bold]: –"
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("Glied der Kette", "Beispiel", "abgesichert", texts.TRANSFER_LESSONS):
        table.add_column(column)
    for link in links:
        offers = link.first if first else link.second
        table.add_row(link.label, _examples(offers), _backed(offers), _lessons(offers))
    return table


def print_transfer(result: Transfer) -> None:
    """The three German tables of a comparison: only here, only there, both but bound
    differently (with what the bound place can pass on)."""
    a, b = result.first, result.second
    out.print(_table(texts.COMPARE_ONLY.format(a=a, b=b), result.only_in_first, True))
    out.print(_table(texts.COMPARE_ONLY.format(a=b, b=a), result.only_in_second, False))
    uneven = [x for x in result.shared
              if any(o.backed for o in x.first) != any(o.backed for o in x.second)]
    if uneven:
        table = Table(title=texts.TRANSFER_UNEVEN, title_justify="left", show_lines=True)
        for column in ("Glied der Kette", f"abgesichert in {a}", f"abgesichert in {b}",
                       texts.TRANSFER_LESSONS):
            table.add_column(column)
        for link in uneven:
            bound = link.first if any(o.backed for o in link.first) else link.second
            table.add_row(link.label, _backed(link.first), _backed(link.second),
                          _lessons(bound))
        out.print(table)
    out.print(texts.COMPARE_SHARED.format(n=len(result.shared)))
