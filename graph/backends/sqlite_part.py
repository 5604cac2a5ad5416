"""Reading one quarter's part of a SQLite store without the rest (see
:meth:`graph.backends.sqlite.SqliteRepository.load_quarters`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from graph.errors import FormatError, InvalidNetworkError, NotFoundError, StoreCorruptError
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, parse
from graph.network import Network

__all__ = ["read_part"]


def _rows(conn: sqlite3.Connection, section: str, keys: Iterable[str]) -> list[Any]:
    """The stored entities of ``section`` with these ids, as data, in network order."""
    # "+pos", "+section": look the ids up (primary key, ref index) instead of walking the
    # whole section in order – SQLite's planner picks the walk without statistics, and
    # that grows with the network (1,000 quarters: seconds)
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT data FROM entities WHERE section = ? AND data IS NOT NULL AND id IN "
        "(SELECT value FROM json_each(?)) ORDER BY +pos", (section, json.dumps(sorted(keys))))]


def _referring(conn: sqlite3.Connection, section: str, refs: Iterable[str]) -> set[str]:
    """Ids of the entities of ``section`` that refer to any of ``refs``."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT id FROM refs WHERE +section = ? AND ref IN "
        "(SELECT value FROM json_each(?))", (section, json.dumps(sorted(refs))))}


def read_part(conn: sqlite3.Connection, header: dict[str, Any], wanted: list[str],
               where: str) -> Network:
    """See :meth:`SqliteRepository.load_quarters` (inside a read transaction)."""
    all_quarters = {r[0]: json.loads(r[1]) for r in conn.execute(
        "SELECT id, data FROM entities WHERE section = 'quarters' AND data IS NOT NULL")}
    chosen: set[str] = set()
    for name in wanted:
        if name in all_quarters:
            chosen.add(name)
            continue
        match = [k for k, q in all_quarters.items()
                 if str(q.get("name", "")).casefold() == name.casefold()]
        if not match:
            known = [str(q.get("name")) for q in all_quarters.values()] + list(all_quarters)
            raise NotFoundError("Quartier", name, known)
        chosen.add(match[0])
    inside = {r[0] for r in conn.execute(
        "SELECT id FROM quarters WHERE +section = 'services' AND quarter IN "
        "(SELECT value FROM json_each(?))", (json.dumps(sorted(chosen)),))}
    transitions = _rows(conn, "transitions", _referring(conn, "transitions", inside))
    services = _rows(conn, "services", inside | {t["source"] for t in transitions}
                     | {t["target"] for t in transitions})
    quarter_ids = chosen | {q for s in services for q in s.get("quarters", [])}
    quarters = _rows(conn, "quarters", quarter_ids)
    districts = _rows(conn, "districts", {q["district"] for q in quarters})
    municipalities = _rows(conn, "municipalities", {d["municipality"] for d in districts})
    agreements = _rows(conn, "agreements", {a for t in transitions
                                            for a in t.get("agreements", [])})
    providers = ({s["provider"] for s in services} | {t["owner"] for t in transitions
                                                       if t.get("owner")}
                 | {p for a in agreements for p in a.get("parties", [])})
    sites = _rows(conn, "sites", {x for s in services for x in s.get("sites", [])} | {
        r[0] for r in conn.execute(
            "SELECT id FROM quarters WHERE section = 'sites' AND quarter IN "
            "(SELECT value FROM json_each(?))", (json.dumps(sorted(chosen)),))})
    loaded = {q["id"] for q in quarters}
    for site in sites:  # a site in a quarter that is not loaded keeps no quarter
        if site.get("quarter") not in loaded:
            site.pop("quarter", None)
    flows = _referring(conn, "referral_flows", {t["id"] for t in transitions})
    measures = _referring(conn, "measures", providers)
    document: dict[str, Any] = {
        "format": FORMAT_NAME, "schema_version": header.get("schema_version", SCHEMA_VERSION),
        "name": header.get("name")}
    if header.get("description"):
        document["description"] = header["description"]
    if header.get("catalogue") is not None:
        document["catalogue"] = header["catalogue"]
    document.update({
        "municipalities": municipalities, "districts": districts, "quarters": quarters,
        "providers": _rows(conn, "providers", providers), "sites": sites,
        "services": services,
        "transitions": transitions, "agreements": agreements,
        "referral_flows": _rows(conn, "referral_flows", flows),
        "accepted_findings": [json.loads(r[0]) for r in conn.execute(
            "SELECT data FROM entities WHERE section = 'accepted_findings' AND data IS NOT "
            "NULL ORDER BY pos")],
        "measures": _rows(conn, "measures", measures),
        "meetings": [json.loads(r[0]) for r in conn.execute(  # few, kept whole (soft refs)
            "SELECT data FROM entities WHERE section = 'meetings' AND data IS NOT NULL "
            "ORDER BY pos")]})
    try:
        return parse(document, source=where)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher '{where}' enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None

