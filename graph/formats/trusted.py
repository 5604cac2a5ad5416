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
import itertools
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson
from pydantic import BaseModel

from graph.catalogue import Catalogue, default_catalogue
from graph.network import ALL_SECTIONS, Network
from graph.shared_list import SharedLists

__all__ = ["UntrustedDataError", "trusted_network", "trusted_section"]

Convert = Callable[[Any], Any] | None  # None: the JSON value is the field's value
_PLAIN = frozenset({"int", "bool", "float", "any"})
_WRAPPERS = ("function-before", "function-after", "function-wrap", "default")
_new = object.__new__
_set = object.__setattr__
_BATCH = 4_096  # rows decoded at once
# free text is unique to its entity; every other string (ids, references, codes) recurs and
# is kept once (``sys.intern``): a service id and the transitions naming it share one object
_UNSHARED = frozenset({"name", "description", "title", "note", "notes", "text"})


class _Pool(threading.local):
    """The shared strings and lists of the entities being read (one pool per read, per
    thread; dropped when the read is done, unlike ``sys.intern``'s table, which would keep
    an entry for each of a million ids)."""

    strings: dict[str, str] | None = None
    lists: SharedLists | None = None


_pool = _Pool()


def _intern(v: str) -> str:
    """The one string object with this text among the entities being read."""
    strings = _pool.strings
    return v if strings is None else strings.setdefault(v, v)


class _SharedListOf:
    """Converts a list of strings or enum members to the one shared list with its
    content (a plain list when no read is under way)."""

    __slots__ = ("item",)

    def __init__(self, item: Callable[[Any], Any]) -> None:
        self.item = item

    def __call__(self, v: list[Any]) -> list[Any]:
        lists = _pool.lists
        return [self.item(x) for x in v] if lists is None else lists.get(map(self.item, v))

    def default(self, factory: Callable[[], list[Any]]) -> Callable[[], list[Any]]:
        """The field's default, shared as well."""
        if factory is list:
            return _empty_list
        return lambda: self(factory())


class _ListOf:
    """Converts a list of other values (nested models); the empty list is shared."""

    __slots__ = ("item",)

    def __init__(self, item: Callable[[Any], Any]) -> None:
        self.item = item

    def __call__(self, v: list[Any]) -> list[Any]:
        return [self.item(x) for x in v] if v else _empty_list()

    @staticmethod
    def default(factory: Callable[[], list[Any]]) -> Callable[[], list[Any]]:
        return _empty_list if factory is list else factory


def _empty_list() -> list[Any]:
    lists = _pool.lists
    return [] if lists is None else lists.empty


class _EnumMembers(dict[Any, Any]):
    """An enum's members by value (its own type: a list of them can be shared)."""


class UntrustedDataError(ValueError):
    """The stored data does not have the shape the models write (take the full path)."""


def _converter(schema: dict[str, Any]) -> Convert:
    """How a JSON value becomes the value of a field with this core schema."""
    kind = schema["type"]
    if kind in _WRAPPERS:
        return _converter(schema["schema"])
    if kind == "str":
        return _intern
    if kind in _PLAIN:
        return None
    if kind == "nullable":
        inner = _converter(schema["schema"])
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if kind == "list":
        item = _converter(schema["items_schema"]) if "items_schema" in schema else None
        if item is not None and (item is _intern  # strings or enum members: immutable
                                 or isinstance(getattr(item, "__self__", None), _EnumMembers)):
            return _SharedListOf(item)
        if item is None:
            return None
        return _ListOf(item)
    if kind == "dict":
        if (_converter(schema.get("keys_schema", {"type": "any"})) not in (None, _intern)
                or _converter(schema.get("values_schema", {"type": "any"})) not in (None, _intern)):
            raise TypeError("dict with converted keys or values")
        return None
    if kind == "enum":
        members = _EnumMembers((m.value, m) for m in schema["cls"])
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
                factory = inner["default_factory"]
                shared = _converter(field["schema"])
                if isinstance(shared, _SharedListOf | _ListOf):  # a default list: shared too
                    factory = shared.default(factory)
                factories.append((name, factory))
            else:
                template[name] = inner["default"]
        else:
            required.add(name)
        convert = _converter(field["schema"])
        if convert is _intern and name in _UNSHARED:
            convert = None
        if convert is not None:
            converters.append((name, convert))
    names = frozenset(template)
    # the template as an instance's own attribute dict: its copies then share the key table
    # of the model's instances (a "split" dict, ~40 % smaller than a dict of its own)
    probe = _new(model)
    for name, value in template.items():
        _set(probe, name, value)
    template = probe.__dict__
    # the set of given fields, one per combination: models are frozen, and pydantic copies
    # the set before it changes one (``model_copy``), so the objects can share it
    given: dict[tuple[str, ...], set[str]] = {}

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
        keys = tuple(raw)
        fields_set = given.get(keys)
        if fields_set is None:
            fields_set = given[keys] = set(keys)
        return instance(model, values, fields_set)

    return build


def instance(model: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> BaseModel:
    """An instance of ``model`` with these field values, put together as pydantic's own
    ``model_construct`` does, without a validator (also :mod:`graph.snapshot`)."""
    obj = _new(model)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def trusted_section(section: str, rows: Iterable[bytes]) -> list[Any]:
    """The entities of ``section`` from their stored JSON (one object per row).

    The rows are decoded a few thousand at a time: the decoded JSON of one batch is
    garbage before the next is read, so it never adds up to the size of the network."""
    build = _builder(ALL_SECTIONS[section])
    entities: list[Any] = []
    rows = iter(rows)
    try:
        while batch := list(itertools.islice(rows, _BATCH)):
            entities.extend(map(build, orjson.loads(b"[" + b",".join(batch) + b"]")))
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise UntrustedDataError(f"{section}: {exc}") from exc
    return entities


def trusted_network(header: dict[str, Any], sections: Mapping[str, Iterable[bytes]]) -> Network:
    """The network from a store's header (name, description, catalogue) and the stored
    JSON of its entities by section, without the network check (it held when stored).

    Within one network, equal lists of strings are one shared, unchangeable list
    (:mod:`graph.shared_list`) and ids, references and codes are interned strings: the
    network takes about half the memory the validated path gives it."""
    catalogue = (default_catalogue() if header.get("catalogue") is None
                 else Catalogue.model_validate(header["catalogue"]))
    name = header.get("name")
    if not isinstance(name, str) or not name:
        raise UntrustedDataError("the network has no name")
    fields: dict[str, Any] = {"name": name, "description": header.get("description") or None,
                              "catalogue": catalogue}
    was_enabled = gc.isenabled()
    gc.disable()  # a million new objects and no cycles among them: nothing to collect
    _pool.lists = SharedLists()  # equal lists of strings, kept once (graph.shared_list)
    _pool.strings = {}
    try:
        for section in ALL_SECTIONS:
            fields[section] = trusted_section(section, sections.get(section, ()))
    finally:
        _pool.lists = _pool.strings = None
        if was_enabled:
            gc.enable()
    return Network.model_construct(**fields)
