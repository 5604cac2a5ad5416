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
from typing import Any

from graph.backends.neo4j_schema import AUDIT, JOURNAL, LABELS, LINKS, META, encode
from graph.journal import Journal, apply_import
from graph.network import ALL_SECTIONS, Network

__all__ = ["ImportFiles", "admin_command", "write_import_files"]


@dataclass(frozen=True)
class ImportFiles:
    """The files written and what ``neo4j-admin database import full`` needs to read them."""

    folder: Path
    arguments: list[str]
    rows: int  # nodes and relationships, as ``lotse push`` counts them


def _cell(value: Any) -> str:
    if value is None:
        return ""  # no property (as a null parameter in Cypher)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        value = ";".join(value)
    text = str(value)
    return '"' + text.replace('"', '""') + '"'


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        lines = []
        for row in rows:
            lines.append(",".join(map(_cell, row)))
            n += 1
            if len(lines) >= 50_000:
                f.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            f.write("\n".join(lines) + "\n")
    return n


def write_import_files(network: Network, folder: Path, actor: str) -> ImportFiles:
    """Write the CSV files of ``network`` (generation 0 of an empty store) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = encode(network, 0)
    journal, entry = apply_import(None, network, Journal(), actor)
    arguments: list[str] = []
    for section, label in LABELS.items():
        path = folder / f"{label}.csv"
        _write(path, (f"id:ID({label})", "gen:int", "pos:int", "data"),
               ((r["id"], r["gen"], r["pos"], r["data"]) for r in rows["nodes"][section]))
        arguments.append(f"--nodes={label}={path}")
    meta = rows["meta"]
    counters = [f"next_{section}" for section in ALL_SECTIONS]
    _write(folder / f"{META}.csv",
           (f":ID({META})", "format", "schema_version:int", "gen:int", "name", "description",
            "catalogue", *(f"{c}:int" for c in counters)),
           [("netz", meta["format"], meta["schema_version"], 0, meta["name"],
             meta["description"], meta["catalogue"], *(meta[c] for c in counters))])
    arguments.append(f"--nodes={META}={folder / f'{META}.csv'}")
    _write(folder / f"{JOURNAL}.csv",
           (f":ID({JOURNAL})", "format", "generation:int", "next_generation:int",
            "revision:int", "versions", "last_seq:int"),
           [("journal", "lotse-journal", 0, 1, 1,
             json.dumps(journal.versions, separators=(",", ":")), entry.seq)])
    arguments.append(f"--nodes={JOURNAL}={folder / f'{JOURNAL}.csv'}")
    _write(folder / f"{AUDIT}.csv",
           (f":ID({AUDIT})", "seq:int", "section", "entity_id", "data"),
           [(f"audit-{entry.seq}", entry.seq, entry.section, entry.entity_id,
             entry.model_dump_json())])
    arguments.append(f"--nodes={AUDIT}={folder / f'{AUDIT}.csv'}")
    path = folder / "TRANSITION.csv"
    _write(path, (":START_ID(Service)", ":END_ID(Service)", "id", "gen:int", "pos:int", "owner",
                  "kind", "agreements:string[]", "data"),
           ((r["source"], r["target"], r["props"]["id"], 0, r["props"]["pos"],
             r["props"]["owner"], r["props"]["kind"], r["props"]["agreements"] or None,
             r["props"]["data"]) for r in rows["relationships"]["transitions"]))
    arguments.append(f"--relationships=TRANSITION={path}")
    for kind, link in LINKS.items():
        path = folder / f"{kind}.csv"
        _write(path, (f":START_ID({link.source})", f":END_ID({link.target})"),
               ((r["a"], r["b"]) for r in rows["relationships"][kind]))
        arguments.append(f"--relationships={link.kind}={path}")
    return ImportFiles(folder, arguments, rows["count"] + 3)


def admin_command(files: ImportFiles, database: str = "neo4j") -> list[str]:
    """The arguments after ``neo4j-admin`` (the database must be stopped)."""
    return ["database", "import", "full", database, "--overwrite-destination=true",
            "--array-delimiter=;", "--multiline-fields=true", "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false", *files.arguments]
