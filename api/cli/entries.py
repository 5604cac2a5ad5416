"""``lotse entry show/put/delete`` and ``lotse undo``: one entry of the chain from the
command line, for scripts – the same use cases as the Werkstatt's forms and the JSON
routes (:mod:`api.usecases.edits`, :mod:`api.usecases.undo`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml

from api.cli import texts
from api.cli.common import AsOfOption, StoreOption, app, out, parse_day
from api.cli.german import GermanTyper
from api.stores import open_store
from api.usecases.edits import Changed, change_entry
from api.usecases.files import read_entry
from api.usecases.roles import command_line
from api.usecases.sections import section_of
from api.usecases.undo import undo_change
from graph.edit import entity_key, find
from graph.errors import NotFoundError
from graph.network import KIND_NAMES
from visualisation.change_text import findings_change_text

__all__: list[str] = []

entry_app = GermanTyper(help=texts.ENTRY_HELP, no_args_is_help=True)
app.add_typer(entry_app, name="entry")

SectionArg = Annotated[str, typer.Argument(metavar="BEREICH", help=texts.ENTRY_SECTION_HELP,
                                           show_default=False)]
VersionOption = Annotated[int | None, typer.Option(
    "--version", help=texts.ENTRY_VERSION_HELP, show_default=False)]
ByOption = Annotated[str, typer.Option("--by", help=texts.ACCEPT_BY_HELP)]


@entry_app.command("show", help=texts.ENTRY_SHOW_HELP)
def show_command(section: SectionArg,
                 key: Annotated[str, typer.Argument(metavar="KENNUNG", help=texts.ENTRY_KEY_HELP,
                                                    show_default=False)],
                 store: StoreOption = None) -> None:
    repo = open_store(store)
    name = section_of(section)
    entity = find(repo.load(), name, key)
    version = repo.journal().version(name, key)
    out.print(f"# {KIND_NAMES[name]} '{key}', Version {version}", markup=False)
    out.print(yaml.safe_dump(entity.model_dump(mode="json", exclude_defaults=True),
                             allow_unicode=True, sort_keys=False).rstrip(), markup=False)


def _say(done: Changed, day_text: str | None) -> None:
    verb = {"create": "angelegt", "update": "geändert", "delete": "gelöscht"}
    out.print(texts.ENTRY_DONE.format(kind=KIND_NAMES[done.section], key=done.key,
                                      what=verb[done.entry.action], seq=done.entry.seq,
                                      version=done.entry.version))
    day = parse_day(day_text)
    out.print(findings_change_text(done.before, done.after, done.quarters, day,
                                   done.findings(day)), soft_wrap=True, markup=False)


@entry_app.command("put", help=texts.ENTRY_PUT_HELP)
def put_command(section: SectionArg,
                source: Annotated[str, typer.Argument(metavar="DATEI", help=texts.ENTRY_FILE_HELP,
                                                      show_default=False)],
                version: VersionOption = None, by: ByOption = "Koordination",
                store: StoreOption = None, as_of: AsOfOption = None) -> None:
    name = section_of(section)
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    entity = read_entry(name, text, source)
    repo = open_store(store)
    key = entity_key(entity)
    try:
        find(repo.load(), name, key)
        create = False
    except NotFoundError:
        create = True
    _say(change_entry(repo, command_line(by), name, key, entity, expected_version=version,
                      create=create), as_of)


@entry_app.command("delete", help=texts.ENTRY_DELETE_HELP)
def delete_command(section: SectionArg,
                   key: Annotated[str, typer.Argument(metavar="KENNUNG", help=texts.ENTRY_KEY_HELP,
                                                      show_default=False)],
                   version: VersionOption = None, by: ByOption = "Koordination",
                   store: StoreOption = None, as_of: AsOfOption = None) -> None:
    _say(change_entry(open_store(store), command_line(by), section_of(section), key, None,
                      expected_version=version), as_of)


@app.command("undo", help=texts.UNDO_HELP)
def undo_command(
    seq: Annotated[int, typer.Argument(metavar="NUMMER", help=texts.UNDO_SEQ_HELP,
                                       show_default=False)],
    by: ByOption = "Koordination", store: StoreOption = None,
) -> None:
    entry = undo_change(open_store(store), command_line(by), seq)
    out.print(texts.UNDONE.format(seq=seq, kind=KIND_NAMES.get(entry.section, entry.section),
                                  key=entry.entity_id, new=entry.seq))
