"""Keeping a network's networkx property graph current, one changed entity at a time.

:func:`update_graph` changes the graph of :func:`graph.property_graph.to_networkx` the
way one edit changed the network, so that a store need not build the whole graph again
after each change. The result equals the graph built from the changed network.

>>> from graph.model import Municipality
>>> from graph.network import Network
>>> from graph.property_graph import to_networkx
>>> g = to_networkx(Network(name="N"))
>>> update_graph(g, "municipalities", None, Municipality(id="do", name="Dortmund"))
>>> g.nodes["do"]["name"]
'Dortmund'
>>> update_graph(g, "municipalities", Municipality(id="do", name="Dortmund"), None)
>>> "do" in g
False
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from pydantic import BaseModel

from graph.property_graph import field_node, stage_node

__all__ = ["update_graph"]

_NODE_TYPES = {"municipalities": "municipality", "districts": "district",
               "quarters": "quarter", "providers": "provider", "services": "service",
               "agreements": "agreement"}


def _attrs(model: BaseModel, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="python")
    data["type"] = kind
    return data


def _links(section: str, entity: Any) -> list[tuple[str, str, str]]:
    """The structural edges an entity's own fields imply: (source, target, type)."""
    if section == "districts":
        return [(entity.id, entity.municipality, "IN_MUNICIPALITY")]
    if section == "quarters":
        return [(entity.id, entity.district, "IN_DISTRICT")]
    if section == "agreements":
        return [(party, entity.id, "PARTY_TO") for party in entity.parties]
    if section == "services":
        return [(entity.id, entity.provider, "PROVIDED_BY"),
                *[(entity.id, q, "IN_QUARTER") for q in entity.quarters],
                *[(entity.id, stage_node(s), "COVERS_STAGE") for s in entity.life_stages],
                *[(entity.id, field_node(f), "IN_FIELD") for f in entity.fields]]
    return []


def update_graph(g: nx.MultiDiGraph, section: str, old: BaseModel | None,
                 new: BaseModel | None) -> None:
    """Change ``g`` as the entity of ``section`` changed from ``old`` to ``new`` (None:
    absent). Sections without nodes (referral flows, notes) leave it as it is."""
    if section == "transitions":
        if old is not None:
            o: Any = old
            if g.has_edge(o.source, o.target, key=o.id):
                g.remove_edge(o.source, o.target, key=o.id)
        if new is not None:
            n: Any = new
            g.add_edge(n.source, n.target, key=n.id, **_attrs(new, "TRANSITION"))
        return
    kind = _NODE_TYPES.get(section)
    if kind is None:
        return
    if old is not None:
        for source, target, edge_type in _links(section, old):
            for key, data in list(g.get_edge_data(source, target, default={}).items()):
                if data.get("type") == edge_type:
                    g.remove_edge(source, target, key=key)
        if new is None:
            g.remove_node(getattr(old, "id"))  # noqa: B009
            return
    if new is None:
        return
    node = getattr(new, "id")  # noqa: B009
    if node in g:
        g.nodes[node].clear()
    g.add_node(node, **_attrs(new, kind))
    for source, target, edge_type in _links(section, new):
        g.add_edge(source, target, type=edge_type)
