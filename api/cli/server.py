"""``lotse push`` and ``lotse pull``: move a network between a file store and Neo4j."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli import texts
from api.cli.common import app, err, out
from api.stores import default_store, is_server, open_store
from graph.errors import LotsenError
from graph.repository import TOOL_ACTOR

__all__: list[str] = []

FromOption = Annotated[str | None, typer.Option("--from", help=texts.PUSH_FROM_HELP,
                                                show_default=False)]
ToOption = Annotated[str | None, typer.Option("--to", help=texts.PUSH_TO_HELP,
                                              show_default=False)]


def _server(value: str | None, option: str) -> str:
    import os

    spec = value or os.environ.get("LOTSE_NEO4J_URI")
    if not spec:
        raise LotsenError(texts.NO_SERVER.format(option=option))
    if not is_server(spec):
        raise LotsenError(texts.NOT_A_SERVER.format(option=option, value=spec))
    return spec


def _copy(source: str, target: str) -> None:
    src, dst = open_store(source), open_store(target)
    net = src.load()
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} Zeilen"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(texts.COPYING.format(target=dst.location), total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        save = getattr(dst, "save")  # noqa: B009 - both backends; only Neo4j reports progress
        if is_server(target):
            save(net, progress=report)
        else:
            save(net)
    out.print(texts.COPIED.format(name=net.name, source=src.location, target=dst.location,
                                  services=texts.count(len(net.services), "Angebot", "Angebote"),
                                  transitions=texts.count(len(net.transitions), "Übergang",
                                                          "Übergänge")))
    for repo in (src, dst):
        close = getattr(repo, "close", None)
        if close is not None:
            close()


@app.command("push", help=texts.PUSH_HELP)
def push_command(source: FromOption = None, target: ToOption = None) -> None:
    _copy(source or default_store(), _server(target, "--to"))


@app.command("pull", help=texts.PULL_HELP)
def pull_command(source: FromOption = None, target: ToOption = None) -> None:
    destination = target or default_store()
    if is_server(destination):
        raise LotsenError(texts.PULL_TO_FILE)
    _copy(_server(source, "--from"), destination)


@app.command("neo4j-import", help=texts.NEO4J_IMPORT_HELP)
def neo4j_import_command(
    folder: Annotated[Path, typer.Argument(help=texts.NEO4J_IMPORT_FOLDER_HELP,
                                           metavar="ORDNER", show_default=False)],
    source: FromOption = None,
    admin: Annotated[Path | None, typer.Option("--neo4j-admin",
                                               help=texts.NEO4J_IMPORT_ADMIN_HELP,
                                               show_default=False)] = None,
    database: Annotated[str, typer.Option("--database",
                                          help=texts.NEO4J_IMPORT_DATABASE_HELP)] = "neo4j",
) -> None:
    import shlex
    import subprocess
    import time

    from graph.backends.neo4j_bulk import admin_command, write_import_files

    if folder.exists() and any(folder.iterdir()):
        raise LotsenError(texts.NEO4J_IMPORT_NOT_EMPTY.format(folder=folder))
    if admin is not None and not admin.exists():
        raise LotsenError(texts.NEO4J_ADMIN_MISSING.format(path=admin))
    repo = open_store(source or default_store())
    net = repo.load()
    start = time.perf_counter()
    files = write_import_files(net, folder.resolve(), TOOL_ACTOR)
    written = time.perf_counter() - start
    out.print(texts.NEO4J_IMPORT_WRITTEN.format(
        rows=texts.number(files.rows), seconds=written, folder=folder,
        services=texts.count(len(net.services), "Angebot", "Angebote"),
        transitions=texts.count(len(net.transitions), "Übergang", "Übergänge")))
    arguments = admin_command(files, database)
    if admin is None:
        command = " ".join(shlex.quote(x) for x in ["neo4j-admin", *arguments])
        out.print(texts.NEO4J_IMPORT_STEPS.format(database=database, command=command),
                  soft_wrap=True, highlight=False)
        return
    began = time.perf_counter()
    done = subprocess.run([str(admin), *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise LotsenError(texts.NEO4J_IMPORT_FAILED.format(
            code=done.returncode, output=(done.stdout + done.stderr)[-2000:]))
    seconds = written + time.perf_counter() - began
    out.print(texts.NEO4J_IMPORT_DONE.format(rows=texts.number(files.rows), seconds=seconds,
                                             rate=texts.number(round(files.rows / seconds))))
