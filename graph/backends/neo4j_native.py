"""The native graph model of a network in Neo4j: what each entity becomes (issue 29).

Every entity is one node whose **scalars are native properties** – text as strings,
numbers as numbers, yes/no as booleans, dates as Neo4j ``DATE``, lists of codes as
lists; a nested record with only scalars (``contact``, ``data_protection``) is
flattened into ``<field>_<part>`` properties (``contact_email``). Only lists of records
(a quarter's ``social_data``, a transition's ``cooperation``, a meeting's ``agenda`` and
``decisions``) are one text property holding JSON, because Neo4j has no maps as values.

Every **reference** that the network checks is a relationship and only a relationship –
never a property beside it – so that there is one truth: ``(:Service)-[:PROVIDED_BY]->
(:Provider)``, ``(:Transition)-[:OWNED_BY]->(:Provider)``, ``(:Agreement)-[:BACKS]->
(:Transition)`` … (:data:`KINDS`). Ordered lists of references carry their position
(``i``) on the relationship. Life stages and fields are ``LifeStage``/``Field`` nodes
(``code``, ``name``, ``order``) that services point to; Kreise and Länder are ``County``/
``State`` nodes (``name``) that municipalities point to.

:func:`node_props` and :func:`ref_rows` turn an entity into rows; :func:`entity_data`
turns a node's properties and its relationships back into the plain data the format's
parser checks – so an edit made with Cypher is read, and judged, like a file.

>>> from graph.model import Service
>>> s = Service(id="s", name="S", provider="p", quarters=["q2", "q1"],
...             life_stages=["birth"], fields=["health"], capacity_per_year=40)
>>> p = node_props("services", s, 0)
>>> p["capacity_per_year"], p["languages"], "provider" in p
(40, ['de'], False)
>>> sorted(ref_rows("services", s)["in_quarter"], key=lambda r: r["i"])
[{'a': 's', 'b': 'q2', 'i': 0}, {'a': 's', 'b': 'q1', 'i': 1}]
>>> d = entity_data(KINDS["services"], p, {"quarters": [(1, "q1"), (0, "q2")],
...                  "provider": [(None, "p")], "life_stages": [(0, "birth")],
...                  "fields": [(0, "health")]})
>>> Service.model_validate(d) == s
True
"""

from __future__ import annotations

import contextlib
import json
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from graph.edit import entity_key
from graph.network import ALL_SECTIONS

__all__ = ["CATALOGUE_KINDS", "KINDS", "NAME_KINDS", "Kind", "Ref", "entity_data", "native",
           "node_props", "ref_rows"]


@dataclass(frozen=True)
class Ref:
    """A reference field stored as relationships (``name`` names them in :func:`ref_rows`)."""

    name: str  # e.g. "in_quarter"
    field: str  # the entity's field, e.g. "quarters"
    kind: str  # relationship type
    target: str  # label at the other end
    many: bool = False  # a list (ordered by ``i``)
    outgoing: bool = True  # the entity's node is the start of the relationship
    target_key: str = "id"  # key property of the other end


@dataclass(frozen=True)
class Kind:
    """How one section lies in the graph."""

    section: str
    label: str
    refs: tuple[Ref, ...] = ()
    key: str = "id"  # the property that identifies a node (unique per label)
    derived_key: bool = False  # the key is not a field (referral flows: transition@start)

    @property
    def model(self) -> type[BaseModel]:
        return ALL_SECTIONS[self.section]

    def ref(self, field: str) -> Ref | None:
        return next((r for r in self.refs if r.field == field), None)


def _k(section: str, label: str, *refs: Ref, key: str = "id", derived: bool = False) -> Kind:
    return Kind(section, label, refs, key, derived)


KINDS: dict[str, Kind] = {k.section: k for k in (
    _k("municipalities", "Municipality",
       Ref("in_county", "county", "IN_COUNTY", "County", target_key="name"),
       Ref("in_state", "state", "IN_STATE", "State", target_key="name")),
    _k("districts", "District", Ref("in_municipality", "municipality", "IN_MUNICIPALITY",
                                    "Municipality")),
    _k("quarters", "Quarter",
       Ref("in_district", "district", "IN_DISTRICT", "District"),
       Ref("quarter_in_municipality", "municipality", "IN_MUNICIPALITY", "Municipality")),
    _k("providers", "Provider"),
    _k("sites", "Site", Ref("site_in_quarter", "quarter", "IN_QUARTER", "Quarter")),
    _k("services", "Service",
       Ref("provided_by", "provider", "PROVIDED_BY", "Provider"),
       Ref("in_quarter", "quarters", "IN_QUARTER", "Quarter", many=True),
       Ref("covers_stage", "life_stages", "COVERS_STAGE", "LifeStage", many=True,
           target_key="code"),
       Ref("in_field", "fields", "IN_FIELD", "Field", many=True, target_key="code"),
       Ref("at_site", "sites", "AT_SITE", "Site", many=True)),
    _k("transitions", "Transition",
       Ref("hands_over", "source", "HANDS_OVER", "Service", outgoing=False),
       Ref("to", "target", "TO", "Service"),
       Ref("owned_by", "owner", "OWNED_BY", "Provider"),
       Ref("backs", "agreements", "BACKS", "Agreement", many=True, outgoing=False)),
    _k("agreements", "Agreement",
       Ref("party_to", "parties", "PARTY_TO", "Provider", many=True, outgoing=False),
       Ref("for_quarter", "quarters", "FOR_QUARTER", "Quarter", many=True)),
    _k("referral_flows", "ReferralFlow", Ref("over", "transition", "OVER", "Transition"),
       derived=True),
    _k("accepted_findings", "AcceptedFinding", key="key"),
    _k("measures", "Measure", Ref("responsible", "responsible", "RESPONSIBLE", "Provider")),
    _k("meetings", "Meeting"),
)}
"""Every section of a network: its label, key and references (in the order written)."""

CATALOGUE_KINDS = {"life_stages": "LifeStage", "fields": "Field"}
"""The catalogue's nodes (key ``code``, position ``order``)."""

NAME_KINDS = ("County", "State")
"""Nodes made from a name that municipalities state (key ``name``)."""

INTERNAL = frozenset({"pos", "gen"})
"""Properties lotse keeps beside the fields: the position in its section, the generation
while a replace is written."""


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return value


def _put(out: dict[str, Any], name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, BaseModel):  # a record of scalars: flattened
        for part in type(value).model_fields:
            _put(out, f"{name}_{part}", getattr(value, part))
    elif isinstance(value, list | tuple):
        if not value:
            return
        if isinstance(value[0], BaseModel):  # a list of records: JSON text
            out[name] = json.dumps([v.model_dump(mode="json", exclude_defaults=True)
                                    for v in value], ensure_ascii=False,
                                   separators=(",", ":"))
        else:
            out[name] = [_plain(v) for v in value]
    elif isinstance(value, dict):
        out[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        out[name] = _plain(value)


def node_props(section: str, entity: BaseModel, pos: int) -> dict[str, Any]:
    """The native properties of an entity's node (its references excluded)."""
    kind = KINDS[section]
    refs = {r.field for r in kind.refs}
    out: dict[str, Any] = {}
    if kind.derived_key:
        out[kind.key] = entity_key(entity)
    for name in type(entity).model_fields:
        if name not in refs:
            _put(out, name, getattr(entity, name))
    out["pos"] = pos
    return out


def ref_rows(section: str, entity: BaseModel) -> dict[str, list[dict[str, Any]]]:
    """The relationship rows of an entity, per reference name: ``a`` start, ``b`` end
    (keys), ``i`` the position in an ordered list."""
    kind = KINDS[section]
    key = entity_key(entity)
    rows: dict[str, list[dict[str, Any]]] = {}
    for ref in kind.refs:
        value = getattr(entity, ref.field)
        ends = [v for v in (value if ref.many else [value]) if v]
        rows[ref.name] = [
            {"a": key, "b": end, **({"i": i} if ref.many else {})} if ref.outgoing else
            {"a": end, "b": key, **({"i": i} if ref.many else {})}
            for i, end in enumerate(ends)]
    return rows


def native(value: Any) -> Any:
    """A value as the driver gives it, as Python has it (Neo4j dates become dates)."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        return to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The record class inside an annotation such as ``Contact | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


_NESTED: dict[str, dict[str, tuple[str, ...]]] = {}


def _nested(model: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """The flattened records of a model: field -> its parts."""
    name = model.__qualname__
    if name not in _NESTED:
        found: dict[str, tuple[str, ...]] = {}
        for field, info in model.model_fields.items():
            if typing.get_origin(info.annotation) is list:
                continue
            inner = _model_of(info.annotation)
            if inner is not None:
                found[field] = tuple(inner.model_fields)
        _NESTED[name] = found
    return _NESTED[name]


def _order(ends: list[tuple[int | None, str]]) -> list[str]:
    """Ends of an ordered reference: by ``i`` (those without one – made by hand – last)."""
    return [b for _, b in sorted(ends, key=lambda e: (e[0] is None, e[0] or 0, e[1]))]


def entity_data(kind: Kind, props: dict[str, Any],
                refs: dict[str, list[tuple[int | None, str]]]) -> dict[str, Any]:
    """The plain data of one entity from its node's properties and the ends of its
    references (field -> [(i, key)]), for the format's parser to check."""
    model = kind.model
    nested = _nested(model)
    prefixes = {f"{field}_{part}": (field, part) for field, parts in nested.items()
                for part in parts}
    data: dict[str, Any] = {}
    for name, value in props.items():
        if name in INTERNAL or (kind.derived_key and name == kind.key):
            continue
        value = native(value)
        if name in prefixes:
            field, part = prefixes[name]
            data.setdefault(field, {})[part] = value
            continue
        info = model.model_fields.get(name)
        if info is not None and isinstance(value, str) and \
                typing.get_origin(info.annotation) is list and \
                _model_of(typing.get_args(info.annotation)[0]) is not None:
            with contextlib.suppress(ValueError):  # else the parser names the property
                value = json.loads(value)  # a list of records
        data[name] = value
    for ref in kind.refs:
        ends = refs.get(ref.field)
        if not ends:
            continue
        ordered = _order(ends)
        data[ref.field] = ordered if ref.many else (ordered[0] if len(ordered) == 1
                                                    else ordered)
    return data
