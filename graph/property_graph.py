"""A network as a networkx property graph, for the algorithms.

Node keys are the entity ids (unique across the network); every node has a ``type``
(``municipality``, ``district``, ``quarter``, ``provider``, ``service``,
``agreement``, ``life_stage``, ``field``) and the entity's fields as attributes.
Edges carry a ``type`` too:

=================  ==========================  ====================================
type               from → to                   key / attributes
=================  ==========================  ====================================
TRANSITION         service → service           key = transition id, its fields
PROVIDED_BY        service → provider
IN_QUARTER         service → quarter
COVERS_STAGE       service → life_stage
IN_FIELD           service → field
PARTY_TO           provider → agreement
IN_DISTRICT        quarter → district
IN_MUNICIPALITY    district or quarter →
                   municipality
=================  ==========================  ====================================

Life-stage and field nodes are keyed ``stage:<id>`` and ``field:<id>`` so that they
never collide with entity ids.

>>> from graph.network import Network
>>> net = Network(name="leer")
>>> g = to_networkx(net)
>>> sorted({d["type"] for _, d in g.nodes(data=True)})
['field', 'life_stage']
>>> transition_graph(net).number_of_nodes()
0
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.network import Network

__all__ = ["field_node", "stage_node", "to_networkx", "transition_graph"]


def stage_node(stage_id: str) -> str:
    """Node key of a life stage."""
    return f"stage:{stage_id}"


def field_node(field_id: str) -> str:
    """Node key of a field."""
    return f"field:{field_id}"


def _attrs(model: Any, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="python")
    data["type"] = kind
    return data


def to_networkx(net: Network) -> nx.MultiDiGraph:
    """The whole network as a typed property graph (see the module docstring)."""
    g = nx.MultiDiGraph(name=net.name)
    for i, life_stage in enumerate(net.catalogue.life_stages):
        g.add_node(stage_node(life_stage.id), **_attrs(life_stage, "life_stage"), order=i)
    for f in net.catalogue.fields:
        g.add_node(field_node(f.id), **_attrs(f, "field"))
    for m in net.municipalities:
        g.add_node(m.id, **_attrs(m, "municipality"))
    for d in net.districts:
        g.add_node(d.id, **_attrs(d, "district"))
        g.add_edge(d.id, d.municipality, type="IN_MUNICIPALITY")
    for q in net.quarters:
        g.add_node(q.id, **_attrs(q, "quarter"))
        if q.district is not None:
            g.add_edge(q.id, q.district, type="IN_DISTRICT")
        if q.municipality is not None:
            g.add_edge(q.id, q.municipality, type="IN_MUNICIPALITY")
    for p in net.providers:
        g.add_node(p.id, **_attrs(p, "provider"))
    for a in net.agreements:
        g.add_node(a.id, **_attrs(a, "agreement"))
        for party in a.parties:
            g.add_edge(party, a.id, type="PARTY_TO")
    for s in net.services:
        g.add_node(s.id, **_attrs(s, "service"))
        g.add_edge(s.id, s.provider, type="PROVIDED_BY")
        for q_id in s.quarters:
            g.add_edge(s.id, q_id, type="IN_QUARTER")
        for stage in s.life_stages:
            g.add_edge(s.id, stage_node(stage), type="COVERS_STAGE")
        for f_id in s.fields:
            g.add_edge(s.id, field_node(f_id), type="IN_FIELD")
    for t in net.transitions:
        g.add_edge(t.source, t.target, key=t.id, **_attrs(t, "TRANSITION"))
    return g


def transition_graph(net: Network) -> nx.MultiDiGraph:
    """Only the services and the transitions between them (the chain itself)."""
    g = nx.MultiDiGraph(name=net.name)
    for s in net.services:
        g.add_node(s.id, **_attrs(s, "service"))
    for t in net.transitions:
        g.add_edge(t.source, t.target, key=t.id, **_attrs(t, "TRANSITION"))
    return g
