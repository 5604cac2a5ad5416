"""Changing one entity of a network: a new, checked network each time.

Shared by every backend, so that all of them accept and refuse the same changes. The
check covers what the change touches (:mod:`graph.incremental`) and finds exactly what
checking the whole network would.

>>> from graph.network import Network
>>> from graph.model import Municipality
>>> net = upsert(Network(name="N"), "municipalities", Municipality(id="do", name="Dortmund"))
>>> [m.name for m in net.municipalities]
['Dortmund']
>>> remove(net, "municipalities", "do").municipalities
[]
"""

from __future__ import annotations

from pydantic import BaseModel

from graph.errors import NotFoundError
from graph.incremental import changed, entity_key, locate
from graph.network import ALL_SECTIONS, KIND_NAMES, Network

__all__ = ["entity_key", "find", "remove", "upsert"]


def _section(section: str) -> type[BaseModel]:
    if section not in ALL_SECTIONS:
        raise NotFoundError("Abschnitt", section, ALL_SECTIONS)
    return ALL_SECTIONS[section]


def find(net: Network, section: str, key: str) -> BaseModel:
    """The entity of ``section`` with id (or flow key) ``key``; NotFoundError otherwise."""
    _section(section)
    found = locate(net, section, key)
    if found is not None:
        return found
    items: list[BaseModel] = getattr(net, section)
    raise NotFoundError(KIND_NAMES[section], key, [entity_key(i) for i in items])


def upsert(net: Network, section: str, entity: BaseModel) -> Network:
    """The network with ``entity`` added, or replacing the one with the same id."""
    model = _section(section)
    entity = model.model_validate(entity.model_dump()) if not isinstance(entity, model) \
        else entity
    if section in ("services", "quarters"):  # life stages and fields by German name
        data = entity.model_dump()
        named = net.catalogue.with_ids(section, data)
        if named is not data:
            entity = model.model_validate(named)
    return changed(net, section, entity_key(entity), entity)


def remove(net: Network, section: str, key: str) -> Network:
    """The network without the entity; InvalidNetworkError if others still reference it."""
    find(net, section, key)
    return changed(net, section, key, None)
