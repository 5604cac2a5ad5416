"""An empty Neo4j database filled offline by ``neo4j-admin database import full`` (issue 18).

Pushing a Land network through Bolt writes ~970,000 rows in transactions (26,000 rows/s at
best). For a database that is still empty, Neo4j's own bulk importer is much faster: it
writes the store files directly, while the database is stopped. :func:`write_import_files`
writes the network in exactly the shape :mod:`graph.backends.neo4j_schema` gives it –
the native nodes and relationships of the current network, the network node, the journal
and its first entry (the import, as ``lotse push`` would record it) – as CSV files with headers, and
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
>>> files.rows > 100, any(a.startswith("--nodes=Service=") for a in files.arguments)
(True, True)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.backends.neo4j_native import KINDS
from graph.backends.neo4j_schema import AUDIT, JOURNAL, KEYS, META, encode
from graph.backends.neo4j_schema import _ends as ends_of
from graph.journal import Journal, apply_import
from graph.network import Network

__all__ = ["ImportFiles", "admin_command", "write_import_files"]

ARRAY = "\x1f"  # between list elements: a control character no text may hold


@dataclass(frozen=True)
class ImportFiles:
    """The files written and what ``neo4j-admin database import full`` needs to read them."""

    folder: Path
    arguments: list[str]
    rows: int  # nodes and relationships, as ``lotse push`` counts them
    multiline: list[Path]  # files whose fields may span lines (free text)


def _q(text: str) -> str:
    """A quoted CSV field."""
    return '"' + text.replace('"', '""') + '"'


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


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "string[]"
    return "string"


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return _q(ARRAY.join(str(v) for v in value))
    return _q(str(value))


def _nodes(path: Path, label: str, rows: list[dict[str, Any]]) -> None:
    """One label's nodes: a column per property any of them has (typed by its values)."""
    key = KEYS[label]
    columns: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            if name != key and name not in columns:
                columns[name] = _type(value)
    names = list(columns)
    header = [f"{key}:ID({label})", *(f"{n}:{columns[n]}" for n in names)]
    _write(path, header, (",".join([_q(str(row[key])), *(_field(row.get(n)) for n in names)])
                          for row in rows))


def write_import_files(network: Network, folder: Path, actor: str) -> ImportFiles:
    """Write the CSV files of ``network`` (the current network of an empty store) into
    ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    journal, entry = apply_import(None, network, Journal(), actor)
    rows = encode(network, 0)
    arguments: list[str] = []
    multiline: list[Path] = []
    for label, items in rows["nodes"].items():
        path = folder / f"{label}.csv"
        _nodes(path, label, items)
        arguments.append(f"--nodes={label}={path}")
        multiline.append(path)
    meta = dict(rows["meta"])
    meta.setdefault("description", "")
    _nodes(folder / f"{META}.csv", META, [meta])
    _write(folder / f"{JOURNAL}.csv",
           (f":ID({JOURNAL})", "format", "generation:int", "next_generation:int",
            "revision:int", "versions", "last_seq:int"),
           [",".join([_q("journal"), _q("lotse-journal"), "0", "1", "1",
                      _q(json.dumps(journal.versions, separators=(",", ":"))),
                      str(entry.seq)])])
    _write(folder / f"{AUDIT}.csv",
           (f":ID({AUDIT})", "seq:int", "section", "entity_id", "data"),
           [",".join([_q(f"audit-{entry.seq}"), str(entry.seq), _field(entry.section),
                      _field(entry.entity_id), _q(entry.model_dump_json())])])
    for name in (META, JOURNAL, AUDIT):
        arguments.append(f"--nodes={name}={folder / f'{name}.csv'}")
    multiline += [folder / f"{META}.csv", folder / f"{AUDIT}.csv"]
    for (section, name), links in rows["relationships"].items():
        kind = KINDS[section]
        ref = next(r for r in kind.refs if r.name == name)
        (start, _), (end, _) = ends_of(kind, ref)
        path = folder / f"{section}.{name}.csv"
        header = [f":START_ID({start})", f":END_ID({end})", *(["i:int"] if ref.many else [])]
        _write(path, header, (",".join([_q(r["a"]), _q(r["b"]),
                                        *([str(r["i"])] if ref.many else [])])
                              for r in links))
        arguments.append(f"--relationships={ref.kind}={path}")
    # the network node counts as one row, the journal and its entry as two more
    return ImportFiles(folder, arguments, rows["count"] + 3, multiline)


def admin_command(files: ImportFiles, database: str = "neo4j") -> list[str]:
    """The arguments after ``neo4j-admin`` (the database must be stopped)."""
    return ["database", "import", "full", database, "--overwrite-destination=true",
            "--array-delimiter=U+001F", "--multiline-fields-format=v2",
            f"--multiline-fields={','.join(str(p) for p in files.multiline)}",
            "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
            f"--report-file={files.folder / 'import.report'}",  # not where the command runs
            *files.arguments]
