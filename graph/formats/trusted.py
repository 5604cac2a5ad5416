"""Trusted decoding: a network read back from a store that validated it when it was written.

The full path (:func:`graph.formats.document.parse`) runs every field validator of every
entity (ids, German dates, labels, control characters, …) and then the whole network
check – well over 10 s for 200,000 services. A store only ever holds what passed that
path, so reading its own rows back needs none of it: the stored JSON is parsed with orjson
and each entity is put together directly from it, following the model's own core schema
(nested models, enums, dates, defaults; no validator runs). The result is the same pydantic
objects, equal to what :func:`parse` makes (``tests/test_fast_load.py``).

Only for data the caller has verified as the store's own (a checksum, see
:mod:`graph.backends.sqlite_rows`); anything else goes through :func:`parse`, which finds
and explains every problem in German. A shape this module does not know (a new kind of
field) raises :class:`TypeError`; data that does not fit raises
:class:`UntrustedDataError`: the caller then takes the full path.

>>> quarter = trusted_section("quarters", [b'{"id":"q","name":"Q","district":"d"}'])[0]
>>> quarter.district, quarter.social_data
('d', [])
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from pydantic import BaseModel

from graph.catalogue import Catalogue, default_catalogue
from graph.network import ALL_SECTIONS, Network

__all__ = ["UntrustedDataError", "trusted_network", "trusted_section"]

Convert = Callable[[Any], Any] | None  # None: the JSON value is the field's value
_PLAIN = frozenset({"str", "int", "bool", "float", "any"})
_WRAPPERS = ("function-before", "function-after", "function-wrap", "default")
_new = object.__new__
_set = object.__setattr__


class UntrustedDataError(ValueError):
    """The stored data does not have the shape the models write (take the full path)."""


def _converter(schema: dict[str, Any]) -> Convert:
    """How a JSON value becomes the value of a field with this core schema."""
    kind = schema["type"]
    if kind in _WRAPPERS:
        return _converter(schema["schema"])
    if kind in _PLAIN:
        return None
    if kind == "nullable":
        inner = _converter(schema["schema"])
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if kind == "list":
        item = _converter(schema["items_schema"]) if "items_schema" in schema else None
        return None if item is None else (lambda v: [item(x) for x in v])
    if kind == "dict":
        if (_converter(schema.get("keys_schema", {"type": "any"})) is not None
                or _converter(schema.get("values_schema", {"type": "any"})) is not None):
            raise TypeError("dict with converted keys or values")
        return None
    if kind == "enum":
        members = {m.value: m for m in schema["cls"]}
        return members.__getitem__
    if kind == "date":
        return dt.date.fromisoformat
    if kind == "model":
        return _builder(schema["cls"])
    raise TypeError(f"core schema type {kind!r} has no trusted decoding")


@functools.cache
def _builder(model: type[BaseModel]) -> Callable[[dict[str, Any]], BaseModel]:
    """A function that makes an instance of ``model`` from its stored JSON object."""
    schema = model.__pydantic_core_schema__
    while schema["type"] in _WRAPPERS:  # a model validator around the model
        schema = schema["schema"]
    if (schema["type"] != "model" or schema["schema"]["type"] != "model-fields"
            or model.__pydantic_post_init__ or model.__private_attributes__):
        raise TypeError(f"{model.__name__} has no trusted decoding")
    template: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    converters: list[tuple[str, Callable[[Any], Any]]] = []
    required: set[str] = set()
    for name, field in schema["schema"]["fields"].items():
        inner = field["schema"]
        while inner["type"].startswith("function-"):
            inner = inner["schema"]
        template[name] = None
        if inner["type"] == "default":
            if "default_factory" in inner:
                if inner.get("default_factory_takes_data"):
                    raise TypeError(f"{model.__name__}.{name}: default factory with data")
                factories.append((name, inner["default_factory"]))
            else:
                template[name] = inner["default"]
        else:
            required.add(name)
        convert = _converter(field["schema"])
        if convert is not None:
            converters.append((name, convert))
    names = frozenset(template)

    def build(raw: dict[str, Any]) -> BaseModel:
        if not isinstance(raw, dict) or not raw.keys() <= names or not required <= raw.keys():
            raise UntrustedDataError(f"{model.__name__}: {raw!r:.200}")
        values = template.copy()
        values.update(raw)
        for name, factory in factories:
            if name not in raw:
                values[name] = factory()
        for name, convert in converters:
            if name in raw:
                values[name] = convert(raw[name])
        obj = _new(model)
        _set(obj, "__dict__", values)
        _set(obj, "__pydantic_fields_set__", set(raw))
        _set(obj, "__pydantic_extra__", None)
        _set(obj, "__pydantic_private__", None)
        return obj

    return build


def trusted_section(section: str, rows: Sequence[bytes]) -> list[Any]:
    """The entities of ``section`` from their stored JSON (one object per row)."""
    if not rows:
        return []
    build = _builder(ALL_SECTIONS[section])
    try:
        data = orjson.loads(b"[" + b",".join(rows) + b"]")
        return [build(x) for x in data]
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise UntrustedDataError(f"{section}: {exc}") from exc


def trusted_network(header: dict[str, Any], sections: Mapping[str, Sequence[bytes]]) -> Network:
    """The network from a store's header (name, description, catalogue) and the stored
    JSON of its entities by section, without the network check (it held when stored)."""
    catalogue = (default_catalogue() if header.get("catalogue") is None
                 else Catalogue.model_validate(header["catalogue"]))
    name = header.get("name")
    if not isinstance(name, str) or not name:
        raise UntrustedDataError("the network has no name")
    fields: dict[str, Any] = {"name": name, "description": header.get("description") or None,
                              "catalogue": catalogue}
    was_enabled = gc.isenabled()
    gc.disable()  # a million new objects and no cycles among them: nothing to collect
    try:
        for section in ALL_SECTIONS:
            fields[section] = trusted_section(section, sections.get(section, ()))
    finally:
        if was_enabled:
            gc.enable()
    return Network.model_construct(**fields)
