"""GraphML and GEXF export (for Gephi and yEd), with all attributes, readable by networkx.

The property graph of :mod:`graph.property_graph`, its attributes made flat: lists are
joined with "; ", dates written as ISO dates, a part of plain values as columns of its
own (``contact_url``, ``contact_email``, ``contact_phone``, ``contact_opening_hours``;
``data_protection_what`` …), other nested data (social data) as JSON; a
transition's id is the edge attribute ``transition``, the edge type is ``relation``.

Every edge has a unique id (graphml.xsd and GEXF want one): a transition's edge is named
by the transition's id, every other edge ``source|relation|target`` (``|`` never occurs
in an id). No internal attribute of networkx (``networkx_key``) is written. A transition
edge carries its referral figures summed over all periods (``referred``, ``arrived``)
and, per period, ``referral_periods`` ("2025-01-01..2025-12-31: 38/36").

>>> import networkx as nx, tempfile, pathlib
>>> from seeds import load_seed
>>> path = pathlib.Path(tempfile.mkdtemp()) / "kette.graphml"
>>> write_graph(load_seed("brunnenstrasse"), path)
>>> g = nx.read_graphml(path)
>>> g.nodes["kita-bornstrasse"]["type"], g.nodes["kita-bornstrasse"]["life_stages"]
('service', 'preschool; school_entry')
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import FormatError
from graph.network import Network
from graph.property_graph import to_networkx

__all__ = ["flat_graph", "write_graph"]


def _flat(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list) and all(isinstance(v, str | Enum) for v in value):
        return "; ".join(str(_flat(v)) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _attributes(data: dict[str, Any]) -> dict[str, Any]:
    """Flat attributes; a part made of plain values (contact data, data protection) as
    columns of its own, ``contact_url``, ``contact_phone`` …, its empty fields left out."""
    attrs: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict) and all(
                v is None or isinstance(v, bool | int | float | str | Enum | list)
                for v in value.values()):
            attrs.update({f"{key}_{k}": _flat(v) for k, v in value.items()
                          if v is not None and v != []})
        else:
            attrs[key] = _flat(value)
    return attrs


def flat_graph(net: Network) -> nx.MultiDiGraph:
    """The property graph with only flat attributes (what GraphML and GEXF can hold)."""
    source = to_networkx(net)
    g = nx.MultiDiGraph(name=net.name)
    for node, data in source.nodes(data=True):
        g.add_node(node, **_attributes(data))
        g.nodes[node].setdefault("label", data.get("name") or node)
    flows: dict[str, list[Any]] = {}
    for f in net.referral_flows:
        flows.setdefault(f.transition, []).append(f)
    for u, v, data in source.edges(data=True):
        attrs = _attributes(data)
        if "id" in attrs:  # GEXF reserves "id" for its own edge ids …
            attrs["transition"] = attrs.pop("id")
        attrs["relation"] = attrs.pop("type")  # … and "type" for directed/undirected
        if "transition" in attrs:
            edge_id = str(attrs["transition"])
            periods = sorted(flows.get(edge_id, []), key=lambda f: f.period_start)
            if periods:
                attrs["referred"] = sum(f.referred for f in periods)
                attrs["arrived"] = sum(f.arrived for f in periods)
                attrs["referral_periods"] = "; ".join(
                    f"{f.period_start.isoformat()}..{f.period_end.isoformat()}: "
                    f"{f.referred}/{f.arrived}" for f in periods)
        else:
            edge_id = f"{u}|{attrs['relation']}|{v}"
        g.add_edge(u, v, key=edge_id, **attrs)
    return g


def _gexf(g: nx.MultiDiGraph) -> str:
    """GEXF with our edge ids and without networkx's ``networkx_key`` attribute."""
    import xml.etree.ElementTree as ET

    copy = nx.MultiDiGraph(g)
    for _u, _v, key, data in copy.edges(keys=True, data=True):
        data["id"] = key  # the writer takes "id" as the edge's id
    text = "\n".join(nx.generate_gexf(copy))
    ns = "http://www.gexf.net/1.2draft"
    ET.register_namespace("", ns)
    root = ET.fromstring(text)
    for attributes in root.iter(f"{{{ns}}}attributes"):
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                attributes.remove(attribute)
                for values in root.iter(f"{{{ns}}}attvalues"):
                    for value in list(values):
                        if value.get("for") == attribute.get("id"):
                            values.remove(value)
    for values in root.iter(f"{{{ns}}}attvalues"):  # an edge left without values
        if not len(values):
            parent = next(p for p in root.iter() if values in list(p))
            parent.remove(values)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def write_graph(net: Network, path: str | Path) -> None:
    """Write GraphML (``.graphml``) or GEXF (``.gexf``), chosen by the suffix."""
    from graph.atomic import atomic_write_bytes

    target = Path(path)
    g = flat_graph(net)
    suffix = target.suffix.lower()
    if suffix == ".graphml":
        text = "\n".join(nx.generate_graphml(g))
    elif suffix == ".gexf":
        text = _gexf(g)
    else:
        raise FormatError("Unbekanntes Graphformat: bitte .graphml (yEd, Gephi) oder .gexf "
                          "(Gephi) als Endung wählen.", str(target))
    atomic_write_bytes(target, text.encode("utf-8"))
