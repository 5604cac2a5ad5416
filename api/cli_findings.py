"""``lotse`` commands that act on findings: accept."""

from __future__ import annotations

from typing import Annotated

import typer

from api import texts
from api.cli_common import AsOfOption, StoreOption, app, out, parse_day
from api.stores import open_store
from graph.journal import Edit
from lotsen.acceptance import acceptance

__all__: list[str] = []


@app.command("accept", help=texts.ACCEPT_HELP)
def accept_command(
    key: Annotated[str, typer.Argument(help=texts.ACCEPT_KEY_HELP, show_default=False)],
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
