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
from graph.references import refs_in

__all__ = ["read_part"]


def _rows(conn: sqlite3.Connection, section: str, keys: Iterable[str]
          ) -> dict[str, tuple[int, Any]]:
    """The stored entities of ``section`` with these ids: id → (position, data)."""
    # "+pos", "+section": look the ids up (primary key, ref index) instead of walking the
    # whole section in order – SQLite's planner picks the walk without statistics, and
    # that grows with the network (1,000 quarters: seconds)
    return {r[0]: (r[1], json.loads(r[2])) for r in conn.execute(
        "SELECT id, pos, data FROM entities WHERE section = ? AND data IS NOT NULL AND id IN "
        "(SELECT value FROM json_each(?)) ORDER BY +pos", (section, json.dumps(sorted(keys))))}


class _Part:
    """The entities read so far, by section, closed under :data:`REFERENCES` on request."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.held: dict[str, dict[str, tuple[int, Any]]] = {}

    def add(self, section: str, keys: Iterable[str]) -> list[Any]:
        """Read these entities of ``section`` (those not yet held); their data."""
        have = self.held.setdefault(section, {})
        new = set(keys) - have.keys()
        if new:
            have.update(_rows(self.conn, section, new))
        return [have[k][1] for k in keys if k in have]

    def close(self) -> None:
        """Read everything the held entities name, transitively – every reference,
        optional ones included (a quarter's district *or* municipality, an agreement's
        quarters), so that the part is a valid network. A site's quarter is not followed:
        a site in a quarter that is not loaded loses it (as in ``Network.restricted_to``)."""
        pending = self._named(self.held)
        while pending:
            section, keys = pending.popitem()
            have = self.held.setdefault(section, {})
            new = keys - have.keys()
            if not new:
                continue
            rows = _rows(self.conn, section, new)
            have.update(rows)
            for target, ks in self._named({section: rows}).items():
                pending.setdefault(target, set()).update(ks)

    @staticmethod
    def _named(sections: dict[str, dict[str, tuple[int, Any]]]) -> dict[str, set[str]]:
        named: dict[str, set[str]] = {}
        for section, rows in sections.items():
            for _, data in rows.values():
                for target, ref in refs_in(section, data):
                    if (section, target) != ("sites", "quarters"):
                        named.setdefault(target, set()).add(ref)
        return named

    def section(self, section: str) -> list[Any]:
        """The held entities of ``section`` in network order."""
        return [data for _, data in sorted(self.held.get(section, {}).values(),
                                           key=lambda row: row[0])]


def _referring(conn: sqlite3.Connection, section: str, refs: Iterable[str]) -> set[str]:
    """Ids of the entities of ``section`` that refer to any of ``refs``."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT id FROM refs WHERE +section = ? AND ref IN "
        "(SELECT value FROM json_each(?))", (section, json.dumps(sorted(refs))))}


def _measures(conn: sqlite3.Connection, part: _Part, all_quarters: dict[str, Any]) -> None:
    """The measures a question about the part needs, and what their findings read.

    A measure of a provider in the part; a measure of a provider without any offer (its
    ``MEASURE_OVERDUE`` concerns every quarter). One that may be overdue names the
    quarters where its provider runs offers, so those offers come along – and, for a
    provider without offers, every quarter."""
    measures = _referring(conn, "measures", set(part.held.get("providers", {}))) | {
        r[0] for r in conn.execute(
            "SELECT DISTINCT m.id FROM refs m WHERE +m.section = 'measures' AND NOT EXISTS "
            "(SELECT 1 FROM refs s WHERE s.ref = m.ref AND s.section = 'services')")}
    running = {m["responsible"] for m in part.add("measures", measures)
               if m.get("due") and m.get("status", "open") in ("open", "in_progress")}
    offers = _referring(conn, "services", running)
    part.add("services", offers)
    if running - {s["provider"] for s in part.add("services", offers)}:
        part.add("quarters", all_quarters)
    part.close()


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
    part = _Part(conn)
    part.add("quarters", chosen)
    part.add("services", inside)
    transitions = part.add("transitions", _referring(conn, "transitions", inside))
    part.add("sites", {r[0] for r in conn.execute(
        "SELECT id FROM quarters WHERE section = 'sites' AND quarter IN "
        "(SELECT value FROM json_each(?))", (json.dumps(sorted(chosen)),))})
    part.close()  # the services at the other end, providers, agreements, quarters, areas
    flows = _referring(conn, "referral_flows", {t["id"] for t in transitions})
    _measures(conn, part, all_quarters)
    loaded = set(part.held["quarters"])
    sites = part.section("sites")
    for site in sites:  # a site in a quarter that is not loaded keeps no quarter
        if site.get("quarter") not in loaded:
            site.pop("quarter", None)
    document: dict[str, Any] = {
        "format": FORMAT_NAME, "schema_version": header.get("schema_version", SCHEMA_VERSION),
        "name": header.get("name")}
    if header.get("description"):
        document["description"] = header["description"]
    if header.get("catalogue") is not None:
        document["catalogue"] = header["catalogue"]
    document.update({
        "municipalities": part.section("municipalities"),
        "districts": part.section("districts"), "quarters": part.section("quarters"),
        "providers": part.section("providers"), "sites": sites,
        "services": part.section("services"), "transitions": part.section("transitions"),
        "agreements": part.section("agreements"),
        "referral_flows": [data for _, data in sorted(
            _rows(conn, "referral_flows", flows).values(), key=lambda row: row[0])],
        "accepted_findings": [json.loads(r[0]) for r in conn.execute(
            "SELECT data FROM entities WHERE section = 'accepted_findings' AND data IS NOT "
            "NULL ORDER BY pos")],
        "measures": part.section("measures"),
        "meetings": [json.loads(r[0]) for r in conn.execute(  # few, kept whole (soft refs)
            "SELECT data FROM entities WHERE section = 'meetings' AND data IS NOT NULL "
            "ORDER BY pos")]})
    try:
        return parse(document, source=where)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher '{where}' enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None

