"""Reading a database in the format lotse wrote before issue 29, to migrate it.

Before the native model, every node carried its entity as a JSON string (``data``), its
position (``pos``) and its generation (``gen``; the journal's ``generation`` named the
current one; still older stores had no generations at all); transitions were
``TRANSITION`` relationships between services, and the network node held the catalogue
as JSON. :func:`read_legacy` reads such a store's current network exactly as that lotse
did; :class:`graph.backends.neo4j.Neo4jRepository` then writes it in the native model
and retires the old nodes in one switch (``migrate`` on connect).
"""

from __future__ import annotations

import json
from typing import Any

from graph.backends.neo4j_schema import BATCH, JOURNAL, META, Tx
from graph.errors import FormatError, InvalidNetworkError, StoreCorruptError
from graph.formats.document import FORMAT_NAME, SCHEMA_VERSION, parse
from graph.network import ALL_SECTIONS, Network

__all__ = ["LEGACY_LABELS", "is_legacy", "read_legacy", "upgrade_to_generations"]

LEGACY_LABELS = {
    "municipalities": "Municipality", "districts": "District", "quarters": "Quarter",
    "providers": "Provider", "sites": "Site", "services": "Service",
    "agreements": "Agreement", "referral_flows": "ReferralFlow",
    "accepted_findings": "AcceptedFinding", "measures": "Measure", "meetings": "Meeting",
}


def is_legacy(tx: Tx) -> bool:
    """Whether the store holds a network in the format before issue 29."""
    record = tx.run(f"MATCH (m:{META}) WHERE m.catalogue IS NOT NULL "
                    "RETURN count(m) AS n").single()
    return bool(record and record["n"])


def upgrade_to_generations(session: Tx) -> None:
    """A store written before generations becomes generation 0 (in batches; every step
    can be repeated)."""
    record = session.run(f"MATCH (j:{JOURNAL}) RETURN j.generation AS g").single()
    if record is not None and record["g"] is not None:
        return
    for label in (*LEGACY_LABELS.values(), META):
        while session.run(f"MATCH (n:{label}) WHERE n.gen IS NULL AND n.data IS NOT NULL "
                          f"WITH n LIMIT {BATCH} SET n.gen = 0 RETURN count(n) AS n"
                          ).single()["n"]:
            pass
        if label == META:
            session.run(f"MATCH (n:{META}) WHERE n.gen IS NULL SET n.gen = 0").consume()
    while session.run("MATCH ()-[t:TRANSITION]->() WHERE t.gen IS NULL WITH t LIMIT "
                      f"{BATCH} SET t.gen = 0 RETURN count(t) AS n").single()["n"]:
        pass
    session.run(f"MERGE (j:{JOURNAL} {{format: 'lotse-journal'}}) SET j.generation = 0, "
                "j.next_generation = coalesce(j.next_generation, 1)").consume()


def read_legacy(tx: Tx, location: str) -> tuple[int, Network]:
    """(its generation, the current network) of a store in the format before issue 29."""
    record = tx.run(f"MATCH (j:{JOURNAL}) RETURN coalesce(j.generation, 0) AS g").single()
    gen = record["g"] if record is not None else 0
    meta = tx.run(f"MATCH (m:{META}) WHERE m.gen = $gen RETURN m", gen=gen).single()
    if meta is None:
        raise StoreCorruptError(f"Der Speicher {location} hat das alte Format, aber keinen "
                                f"Netzwerk-Knoten der Generation {gen}.")
    m = dict(meta["m"])
    document: dict[str, Any] = {"format": FORMAT_NAME, "schema_version":
                                m.get("schema_version", SCHEMA_VERSION), "name": m["name"]}
    if m.get("description"):
        document["description"] = m["description"]
    catalogue = json.loads(m.get("catalogue") or "null")
    if catalogue is not None:
        document["catalogue"] = catalogue
    for section, label in LEGACY_LABELS.items():
        items = [json.loads(r["data"]) for r in tx.run(
            f"MATCH (n:{label}) WHERE n.gen = $gen AND n.data IS NOT NULL "
            "RETURN n.data AS data ORDER BY n.pos", gen=gen)]
        if items:
            document[section] = items
    transitions = [json.loads(r["data"]) for r in tx.run(
        "MATCH ()-[t:TRANSITION]->() WHERE t.gen = $gen RETURN t.data AS data "
        "ORDER BY t.pos", gen=gen)]
    if transitions:
        document["transitions"] = transitions
    document = {k: document[k] for k in ("format", "schema_version", "name", "description",
                                         "catalogue", *ALL_SECTIONS) if k in document}
    try:
        return gen, parse(document, source=location)
    except (InvalidNetworkError, FormatError) as exc:
        raise StoreCorruptError(f"Der Speicher {location} enthält ein ungültiges Netzwerk:\n"
                                f"{exc}") from None
