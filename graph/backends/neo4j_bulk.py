"""An empty Neo4j database filled offline by ``neo4j-admin database import full`` (issue 18).

Pushing a Land network through Bolt writes ~970,000 rows in transactions (26,000 rows/s at
best). For a database that is still empty, Neo4j's own bulk importer is much faster: it
writes the store files directly, while the database is stopped. :func:`write_import_files`
writes the network in exactly the shape :mod:`graph.backends.neo4j_schema` gives it –
nodes and relationships of generation 0, the network node, the journal and its first
entry (the import, as ``lotse push`` would record it) – as CSV files with headers, and
returns the arguments for ``neo4j-admin``. After the import the server is started again;
the first connection of lotse creates the constraints and indexes as always.

Only for an empty database: ``neo4j-admin`` writes over the database files
(``--overwrite-destination``), and an import that fails half-way leaves them unusable –
then the same import is simply run again (the files are made from a checked network, so
it does not fail on their content). A database that holds a network is replaced through
``lotse push`` (all or nothing for readers, :mod:`graph.backends.neo4j_generations`).

>>> import tempfile, pathlib
>>> from seeds import load_seed
>>> files = write_import_files(load_seed("dortmund"), pathlib.Path(tempfile.mkdtemp()), "test")
>>> files.rows > 100, files.arguments[0].startswith("--nodes=Municipality=")
(True, True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from graph.backends.neo4j_schema import AUDIT, JOURNAL, LABELS, LINKS, META, encode
from graph.edit import entity_key
from graph.incremental import ID_SECTIONS
from graph.journal import Journal, apply_import
from graph.network import ALL_SECTIONS, Network

__all__ = ["ImportFiles", "admin_command", "write_import_files"]


@dataclass(frozen=True)
class ImportFiles:
    """The files written and what ``neo4j-admin database import full`` needs to read them."""

    folder: Path
    arguments: list[str]
    rows: int  # nodes and relationships, as ``lotse push`` counts them
    multiline: list[Path]  # files whose fields may span lines (the network's description)


_QUOTE, _QUOTES = '"', '""'


def _q(text: str) -> str:
    """A quoted CSV field."""
    return '"' + text.replace('"', '""') + '"'


def _opt(text: str | None) -> str:
    """A quoted field, or an empty one (no property) for None."""
    return "" if text is None else _q(text)


def _write(path: Path, header: Sequence[str], lines: Iterable[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) >= 50_000:
                f.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            f.write("\n".join(batch) + "\n")


def _data(entity: BaseModel) -> str:
    """The entity's JSON as ``lotse push`` stores it (``neo4j_schema.dump``: the fields that
    differ from their defaults; made by pydantic's own serializer here, the same JSON)."""
    return entity.model_dump_json(exclude_defaults=True)


def write_import_files(network: Network, folder: Path, actor: str) -> ImportFiles:
    """Write the CSV files of ``network`` (generation 0 of an empty store) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    journal, entry = apply_import(None, network, Journal(), actor)
    arguments: list[str] = []
    rows = 0
    for section, label in LABELS.items():
        path = folder / f"{label}.csv"
        items = getattr(network, section)
        if section in ID_SECTIONS:  # ids are letters, digits and _.:- (graph.values.ID_PATTERN)
            lines = (f'"{e.id}",0,{pos},"{_data(e).replace(_QUOTE, _QUOTES)}"'
                     for pos, e in enumerate(items))
        else:
            lines = (f"{_q(entity_key(e))},0,{pos},{_q(_data(e))}" for pos, e in enumerate(items))
        _write(path, (f"id:ID({label})", "gen:int", "pos:int", "data"), lines)
        arguments.append(f"--nodes={label}={path}")
        rows += len(items)
    meta = encode(network.model_copy(update={s: [] for s in ALL_SECTIONS}), 0)["meta"]
    counters = [f"next_{section}" for section in ALL_SECTIONS]
    meta.update({c: len(getattr(network, c[5:])) for c in counters})
    _write(folder / f"{META}.csv",
           (f":ID({META})", "format", "schema_version:int", "gen:int", "name", "description",
            "catalogue", *(f"{c}:int" for c in counters)),
           [",".join([_q("netz"), _q(meta["format"]), str(meta["schema_version"]), "0",
                      _q(meta["name"]), _q(meta["description"]), _q(meta["catalogue"]),
                      *(str(meta[c]) for c in counters)])])
    _write(folder / f"{JOURNAL}.csv",
           (f":ID({JOURNAL})", "format", "generation:int", "next_generation:int",
            "revision:int", "versions", "last_seq:int"),
           [",".join([_q("journal"), _q("lotse-journal"), "0", "1", "1",
                      _q(json.dumps(journal.versions, separators=(",", ":"))),
                      str(entry.seq)])])
    _write(folder / f"{AUDIT}.csv",
           (f":ID({AUDIT})", "seq:int", "section", "entity_id", "data"),
           [",".join([_q(f"audit-{entry.seq}"), str(entry.seq), _opt(entry.section),
                      _opt(entry.entity_id), _q(entry.model_dump_json())])])
    for name in (META, JOURNAL, AUDIT):
        arguments.append(f"--nodes={name}={folder / f'{name}.csv'}")
    rows += 1  # the network node (the journal and its entry: counted below)
    path = folder / "TRANSITION.csv"
    _write(path, (":START_ID(Service)", ":END_ID(Service)", "id", "gen:int", "pos:int", "owner",
                  "kind", "agreements:string[]", "data"),
           (f'"{t.source}","{t.target}","{t.id}",0,{pos},'
            f'{_opt(t.owner)},"{t.kind.value}",'
            f'{_q(";".join(t.agreements)) if t.agreements else ""},'
            f'"{_data(t).replace(_QUOTE, _QUOTES)}"'
            for pos, t in enumerate(network.transitions)))
    arguments.append(f"--relationships=TRANSITION={path}")
    rows += len(network.transitions)
    for kind, link in LINKS.items():
        path = folder / f"{kind}.csv"
        links = [r for e in getattr(network, link.owner) for r in link.rows(e)]
        _write(path, (f":START_ID({link.source})", f":END_ID({link.target})"),
               (f'"{r["a"]}","{r["b"]}"' for r in links))  # ids: nothing to escape
        arguments.append(f"--relationships={link.kind}={path}")
        rows += len(links)
    # the network's name and description are free text (line breaks allowed): the network
    # node and the journal entry naming it may span lines
    return ImportFiles(folder, arguments, rows + 2,
                       [folder / f"{META}.csv", folder / f"{AUDIT}.csv"])


def admin_command(files: ImportFiles, database: str = "neo4j") -> list[str]:
    """The arguments after ``neo4j-admin`` (the database must be stopped)."""
    # line breaks only where free text is not JSON (entities are: their breaks are "\n"):
    # reading every file as possibly multi-line would make the importer read serially
    return ["database", "import", "full", database, "--overwrite-destination=true",
            "--array-delimiter=;", "--multiline-fields-format=v2",
            f"--multiline-fields={','.join(str(p) for p in files.multiline)}",
            "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
            f"--report-file={files.folder / 'import.report'}",  # not where the command runs
            *files.arguments]
