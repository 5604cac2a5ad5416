"""The rows of the SQLite store: its tables, and how entities, the network and audit
entries are written to them and read back (used by :mod:`graph.backends.sqlite`)."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from graph.edit import entity_key
from graph.errors import FormatError, InvalidNetworkError, StoreCorruptError
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, parse, to_data
from graph.formats.trusted import UntrustedDataError, trusted_network
from graph.journal import AuditEntry, Journal, journal_key
from graph.network import ALL_SECTIONS, Network

__all__ = ["CONTENT_SUM", "SCHEMA", "SQLITE_FORMAT", "SQLITE_SCHEMA_VERSION", "append",
           "content_sum", "meta",
           "read_network", "refs_of", "set_meta", "stored_format", "write_database",
           "write_entity", "write_network"]

SQLITE_FORMAT = "lotsensystem-speicher-sqlite"
SQLITE_SCHEMA_VERSION = 1
CONTENT_SUM = "content_sum"
"""Meta key: the sum of the CRC-32 of every entity's stored JSON, kept by every write of
lotse. When the rows still add up to it, they are what lotse validated and wrote, and the
network is read back without validating it again (:mod:`graph.formats.trusted`); a row
changed by hand (or a store written before this key existed) is validated in full."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    section TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL,
    version INTEGER, data TEXT,
    PRIMARY KEY (section, id));
CREATE INDEX IF NOT EXISTS entities_pos ON entities (section, pos);
CREATE TABLE IF NOT EXISTS quarters (
    section TEXT NOT NULL, id TEXT NOT NULL, quarter TEXT NOT NULL,
    PRIMARY KEY (section, id, quarter));
CREATE INDEX IF NOT EXISTS quarters_quarter ON quarters (quarter);
CREATE TABLE IF NOT EXISTS refs (
    section TEXT NOT NULL, id TEXT NOT NULL, ref TEXT NOT NULL,
    PRIMARY KEY (section, id, ref));
CREATE INDEX IF NOT EXISTS refs_ref ON refs (ref, section);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    section TEXT NOT NULL, entity_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_entity ON audit (section, entity_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
"""



def stored_format(conn: sqlite3.Connection) -> str | None:
    """The format row, read without taking the write lock (None: no tables yet)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
        return None
    return meta(conn, "format")


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                 "value = excluded.value", (key, value))


def _dump(entity: BaseModel) -> str:
    return json.dumps(entity.model_dump(mode="json", exclude_defaults=True),
                      ensure_ascii=False, separators=(",", ":"))


def _quarters_of(section: str, entity: BaseModel) -> Iterable[str]:
    if section == "quarters":
        return [entity_key(entity)]
    if section == "services":
        return list(getattr(entity, "quarters", []))
    if section == "sites":
        quarter = getattr(entity, "quarter", None)
        return [quarter] if quarter else []
    return []


def refs_of(section: str, entity: Any) -> list[str]:
    """The ids ``entity`` refers to (what :meth:`SqliteRepository.load_quarters` follows)."""
    if section == "services":
        return [entity.provider, *entity.sites]
    if section == "transitions":
        return [entity.source, entity.target, *([entity.owner] if entity.owner else []),
                *entity.agreements]
    if section == "agreements":
        return list(entity.parties)
    if section == "referral_flows":
        return [entity.transition]
    if section == "measures":
        return [entity.responsible]
    if section == "quarters":
        return [r for r in (entity.district, entity.municipality) if r]
    if section == "districts":
        return [entity.municipality]
    return []


def write_entity(conn: sqlite3.Connection, section: str, key: str,
                  entity: BaseModel | None, version: int | None) -> None:
    """One entity as it now is (None: deleted, its version kept)."""
    conn.execute("DELETE FROM quarters WHERE section = ? AND id = ?", (section, key))
    conn.execute("DELETE FROM refs WHERE section = ? AND id = ?", (section, key))
    row = conn.execute("SELECT data FROM entities WHERE section = ? AND id = ?",
                       (section, key)).fetchone()
    old = None if row is None else row[0]
    if entity is None:
        conn.execute("UPDATE entities SET data = NULL, version = ? WHERE section = ? AND "
                     "id = ?", (version, section, key))
        _adjust_sum(conn, old, None)
        return
    data = _dump(entity)
    if old is not None:  # a change keeps its place
        conn.execute("UPDATE entities SET data = ?, version = ? WHERE section = ? AND id = ?",
                     (data, version, section, key))
    else:  # new (or back after a delete): at the end, as in the network
        pos = conn.execute("SELECT coalesce(max(pos), -1) + 1 FROM entities WHERE "
                           "section = ?", (section,)).fetchone()[0]
        conn.execute("INSERT INTO entities VALUES (?, ?, ?, ?, ?) ON CONFLICT(section, id) "
                     "DO UPDATE SET pos = excluded.pos, version = excluded.version, "
                     "data = excluded.data", (section, key, pos, version, data))
    _adjust_sum(conn, old, data)
    conn.executemany("INSERT OR IGNORE INTO quarters VALUES (?, ?, ?)",
                     [(section, key, q) for q in _quarters_of(section, entity)])
    conn.executemany("INSERT OR IGNORE INTO refs VALUES (?, ?, ?)",
                     [(section, key, r) for r in refs_of(section, entity)])


def write_network(conn: sqlite3.Connection, network: Network,
                   versions: dict[str, int]) -> None:
    """Every entity of ``network`` (the tables are empty), tombstones for the versions of
    entities it no longer has, and its header."""
    head = to_data(network.model_copy(update={s: [] for s in ALL_SECTIONS}))
    header = {"name": network.name, "description": network.description,
              "catalogue": head.get("catalogue"), "schema_version": SCHEMA_VERSION}
    set_meta(conn, "network", json.dumps(header, ensure_ascii=False))
    present: set[str] = set()
    total = 0
    for section in ALL_SECTIONS:
        rows = []
        places: list[tuple[str, str, str]] = []
        refs: list[tuple[str, str, str]] = []
        for pos, entity in enumerate(getattr(network, section)):
            key = entity_key(entity)
            jkey = journal_key(section, key)
            present.add(jkey)
            rows.append((section, key, pos, versions.get(jkey), _dump(entity)))
            places.extend((section, key, q) for q in _quarters_of(section, entity))
            refs.extend((section, key, r) for r in refs_of(section, entity))
        conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?)", rows)
        total += content_sum(r[4].encode() for r in rows)
        conn.executemany("INSERT OR IGNORE INTO quarters VALUES (?, ?, ?)", places)
        conn.executemany("INSERT OR IGNORE INTO refs VALUES (?, ?, ?)", refs)
    gone = []
    for jkey, version in versions.items():
        section, _, key = jkey.partition("/")
        if jkey not in present and section in ALL_SECTIONS:
            gone.append((section, key, -1, version))
    conn.executemany("INSERT INTO entities (section, id, pos, version) VALUES (?, ?, ?, ?)",
                     gone)
    set_meta(conn, CONTENT_SUM, str(total))


def content_sum(rows: Iterable[bytes]) -> int:
    """The sum of the CRC-32 of the rows (the stored JSON of entities, UTF-8)."""
    return sum(map(zlib.crc32, rows))


def _adjust_sum(conn: sqlite3.Connection, old: str | None, new: str | None) -> None:
    """Keep :data:`CONTENT_SUM` true after one row changed (a store without it – written
    by an older lotse – stays without it: it is validated in full when read)."""
    stored = meta(conn, CONTENT_SUM)
    if stored is None:
        return
    total = int(stored) - content_sum([old.encode()] if old is not None else []) \
        + content_sum([new.encode()] if new is not None else [])
    set_meta(conn, CONTENT_SUM, str(total))


def append(conn: sqlite3.Connection, entry: AuditEntry) -> int:
    """Append the audit entry and raise the revision; returns the new revision."""
    conn.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (entry.seq, entry.at.isoformat(), entry.actor, entry.action, entry.section,
                  entry.entity_id, entry.model_dump_json()))
    revision = int(meta(conn, "revision") or 0) + 1
    set_meta(conn, "revision", str(revision))
    set_meta(conn, "last_seq", str(entry.seq))
    return revision


def read_network(conn: sqlite3.Connection, header: dict[str, Any],
                  where: str) -> tuple[Network, dict[str, int]]:
    document: dict[str, Any] = {"format": FORMAT_NAME,
                                "schema_version": header.get("schema_version", SCHEMA_VERSION),
                                "name": header.get("name")}
    if header.get("description"):
        document["description"] = header["description"]
    if header.get("catalogue") is not None:
        document["catalogue"] = header["catalogue"]
    trusted = _read_trusted(conn, header)
    if trusted is not None:
        return trusted
    versions: dict[str, int] = {}
    for section, key, version, data in conn.execute(
            "SELECT section, id, version, data FROM entities ORDER BY section, pos"):
        if version is not None:
            versions[journal_key(section, key)] = version
        if data is not None:
            document.setdefault(section, []).append(json.loads(data))
    ordered = {k: v for k, v in document.items() if k not in ALL_SECTIONS}
    ordered.update({s: document[s] for s in ALL_SECTIONS if s in document})
    try:
        return parse(ordered, source=where), versions
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher '{where}' enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None


def _read_trusted(conn: sqlite3.Connection,
                  header: dict[str, Any]) -> tuple[Network, dict[str, int]] | None:
    """The network without validating it again, when the rows add up to the checksum
    lotse keeps (see :data:`CONTENT_SUM`); None: validate in full.

    The rows are read section by section as they are decoded (never all at once); the
    network is only handed out once their checksum has been found right."""
    stored = meta(conn, CONTENT_SUM)
    if stored is None or header.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        return None
    present = {section for (section,) in conn.execute("SELECT DISTINCT section FROM entities")}
    if not present <= set(ALL_SECTIONS):
        return None
    total = 0

    def rows(section: str) -> Iterator[bytes]:
        nonlocal total
        for (data,) in conn.execute(  # bytes: the UTF-8 the checksum was taken of
                "SELECT CAST(data AS BLOB) FROM entities WHERE section = ? "
                "AND data IS NOT NULL ORDER BY pos", (section,)):
            total += zlib.crc32(data)
            yield data

    try:
        network = trusted_network(header, {section: rows(section) for section in present})
    except (UntrustedDataError, TypeError):
        return None
    if total != int(stored):
        return None
    versions: dict[str, int] = dict(conn.execute(  # journal_key, made by SQLite
        "SELECT section || '/' || id, version FROM entities WHERE version IS NOT NULL"))
    return network, versions


def write_database(path: Path, network: Network, journal: Journal) -> None:
    """A new database at ``path`` holding ``network`` with its whole journal (versions
    and every audit entry, numbers kept): what a migration writes. ``path`` must not
    exist yet."""
    conn = sqlite3.connect(path, isolation_level=None)  # rollback journal: one file when
    try:                                                 # closed (WAL is set on first use)
        conn.execute("BEGIN IMMEDIATE")
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        last_seq = journal.entries[-1].seq if journal.entries else journal.last_seq
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("format", SQLITE_FORMAT), ("store_schema", str(SQLITE_SCHEMA_VERSION)),
            ("revision", "1"), ("last_seq", str(max(last_seq, journal.last_seq)))])
        write_network(conn, network, journal.versions)
        conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (e.seq, e.at.isoformat(), e.actor, e.action, e.section, e.entity_id,
             e.model_dump_json()) for e in journal.entries])
        conn.execute("COMMIT")
    finally:
        conn.close()
