"""The network document: a readable YAML (or JSON) file for a whole chain.

Described for people in ``docs/format.md``. Reading reports every problem at once,
each with the file, line, entity id and field; writing produces the same shape, so
``loads(dumps(net)) == net`` for every valid network.

>>> from graph.network import Network
>>> text = dumps(Network(name="Beispiel"))
>>> print(text)
format: lotsensystem-netzwerk
schema_version: 3
name: Beispiel
<BLANKLINE>
>>> loads(text) == Network(name="Beispiel")
True
>>> loads("name: [kaputt", source="quartier.yaml")
Traceback (most recent call last):
...
graph.errors.FormatError: quartier.yaml, Zeile 1: YAML-Syntaxfehler: ...
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from graph.budget import check as budget_check
from graph.catalogue import Catalogue, default_catalogue
from graph.errors import FormatError, InvalidNetworkError, Problem
from graph.formats.pydantic_problems import problems_from_validation_error
from graph.network import ALL_SECTIONS, KIND_NAMES, Network, check_network

__all__ = [
    "FORMAT_NAME", "SCHEMA_VERSION", "SUPPORTED_VERSIONS", "dumps", "iter_json", "load",
    "loads", "migrate", "parse", "save", "to_data",
]

FORMAT_NAME = "lotsensystem-netzwerk"
SCHEMA_VERSION = 3
"""Version 2 (issue 13) added the sections ``accepted_findings`` and ``measures``;
version 3 (issue 26) the section ``meetings`` (Sitzungen) and the field ``meeting`` of
measures and acceptances. Documents of versions 1 and 2 load unchanged (see
:func:`migrate`)."""
SUPPORTED_VERSIONS = (1, 2, 3)
_HEADER_KEYS = ("format", "schema_version")
_TOP_KEYS = ("name", "description", "catalogue", *ALL_SECTIONS)


# -- writing ------------------------------------------------------------------------


def to_data(net: Network) -> dict[str, Any]:
    """The network as plain data (JSON types; dates as ISO strings), defaults left out."""
    data: dict[str, Any] = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION}
    body = net.model_dump(mode="json", exclude_defaults=True, exclude={"catalogue"})
    data["name"] = body.pop("name")
    if "description" in body:
        data["description"] = body.pop("description")
    if net.catalogue != default_catalogue():
        data["catalogue"] = net.catalogue.model_dump(mode="json")
    for section in ALL_SECTIONS:
        if section in body:
            data[section] = body[section]
    return data


def iter_json(net: Network, chunk: int = 2000) -> Iterator[bytes]:
    """The compact JSON of :func:`to_data`, in pieces: big networks are written while
    they are encoded, never held twice in memory."""
    head = to_data(net.model_copy(update={section: [] for section in ALL_SECTIONS}))
    yield ("{" + ",".join(f"{json.dumps(k)}:{_compact(v)}" for k, v in head.items()
                          if k not in ALL_SECTIONS)).encode("utf-8")
    for section in ALL_SECTIONS:
        items = getattr(net, section)
        if not items:
            continue
        yield f',"{section}":['.encode()
        for start in range(0, len(items), chunk):
            part = [x.model_dump(mode="json", exclude_defaults=True)
                    for x in items[start:start + chunk]]
            yield (("," if start else "") + _compact(part)[1:-1]).encode("utf-8")
        yield b"]"
    yield b"}"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Dumper(yaml.SafeDumper):
    """Block style, readable multi-line text."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dumps(net: Network, fmt: str = "yaml") -> str:
    """The network as a YAML (default) or JSON document."""
    data = to_data(net)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def save(net: Network, path: str | Path) -> None:
    """Write the network document to ``path`` (format from the suffix), atomically."""
    from graph.atomic import atomic_write_text

    target = Path(path)
    fmt = "json" if target.suffix.lower() == ".json" else "yaml"
    atomic_write_text(target, dumps(net, fmt))


# -- reading ------------------------------------------------------------------------


MAX_DEPTH = 100
"""Levels of nesting a document may have (a network needs fewer than ten)."""
MAX_ALIAS_NODES = 100_000
"""Values YAML aliases (``*name``) may repeat in all: a few kilobytes of aliases of
aliases would otherwise become billions of values (the "billion laughs")."""


class _Loader(yaml.SafeLoader):
    """Safe YAML, but dates stay text (our date check gives the German message, also for
    impossible dates like 2025-13-01) and only true/false are booleans (YAML 1.1 would
    turn the language code 'no' or a name like 'On' into a boolean). Nesting and what
    aliases repeat are bounded (:data:`MAX_DEPTH`, :data:`MAX_ALIAS_NODES`); composing
    checks the time budget (:mod:`graph.budget`)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._sizes: dict[int, int] = {}  # id(node) -> values it stands for, expanded
        self._repeated = 0
        self._depth = 0
        self._composed = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            node = self.anchors.get(event.anchor)
            size = self._sizes.get(id(node)) if node is not None else None
            if node is not None and size is None:
                raise FormatError("Ein YAML-Verweis (*" + str(event.anchor) + ") verweist "
                                  "auf sich selbst; so lässt sich die Datei nicht lesen.")
            self._repeated += size or 0
            if self._repeated > MAX_ALIAS_NODES:
                raise FormatError(f"Die YAML-Verweise (*name) wiederholen zusammen mehr als "
                                  f"{MAX_ALIAS_NODES:_} Werte".replace("_", ".")
                                  + "; so lässt sich die Datei nicht lesen. Bitte die "
                                  "Werte ausschreiben oder weniger Verweise verwenden.")
            return super().compose_node(parent, index)
        self._depth += 1
        self._composed += 1
        if self._depth > MAX_DEPTH:
            raise FormatError(f"Die Datei ist zu tief verschachtelt (mehr als {MAX_DEPTH} "
                              "Ebenen); so sieht kein Netzwerk-Dokument aus.")
        if not self._composed % 1000:
            budget_check()
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1)
                        for k, v in node.value)
        self._sizes[id(node)] = size
        return node


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))

# "2.000" is two thousand in German, not 2.0: such numbers stay text, and the counts read
# them as Germans write them (graph.german_numbers); 0.400 or 1.5 stay decimal numbers
_GERMAN_THOUSANDS = r"(?![-+]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+$)"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, re.compile(_GERMAN_THOUSANDS + rx.pattern, rx.flags))
            if tag == "tag:yaml.org,2002:float" else (tag, rx) for tag, rx in resolvers]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def load(path: str | Path) -> Network:
    """Read a network document (YAML or JSON) from a file."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError("Die Datei gibt es nicht.", source) from None
    except IsADirectoryError:
        raise FormatError("Das ist ein Ordner, keine Datei.", source) from None
    except UnicodeDecodeError as exc:
        raise FormatError(f"Die Datei ist nicht UTF-8-kodiert (Byte {exc.start}). "
                          "Bitte als UTF-8 speichern.", source) from None
    return loads(text, source=source)


def loads(text: str, source: str = "<Eingabe>") -> Network:
    """Read a network document from text; every problem is reported at once."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = " ".join(x for x in (exc.context, exc.problem) if x)
        raise FormatError(f"YAML-Syntaxfehler: {detail}. Prüfen Sie Einrückung, "
                          "Doppelpunkte und Anführungszeichen.", source, line) from None
    except yaml.YAMLError as exc:
        raise FormatError(f"YAML-Syntaxfehler: {exc}", source) from None
    except FormatError as exc:
        raise FormatError(exc.detail, source, exc.line) from None
    except RecursionError:
        raise FormatError(f"Die Datei ist zu tief verschachtelt (mehr als {MAX_DEPTH} "
                          "Ebenen); so sieht kein Netzwerk-Dokument aus.", source) from None
    return parse(data, source=source, node=root)


def parse(data: Any, source: str = "<Eingabe>", node: yaml.Node | None = None) -> Network:
    """Build a network from plain data (as read from YAML/JSON), collecting all problems."""
    problems: list[Problem] = []
    locate = _Locator(node)

    def add(kind: str, eid: str, field: str, message: str, path: tuple[Any, ...]) -> None:
        problems.append(Problem(kind, eid, field, message, locate(path), source))

    if not isinstance(data, dict):
        raise FormatError("Das Dokument muss aus Schlüsseln wie 'name:', 'services:' "
                          "bestehen (eine YAML-Zuordnung), nicht aus einer Liste oder "
                          "einem einzelnen Wert.", source)
    version = data.get("schema_version", SCHEMA_VERSION)
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        add("Netzwerk", "", "format", f"Unbekanntes Format '{data.get('format')}'; "
            f"erwartet wird '{FORMAT_NAME}'.", ("format",))
    if version not in SUPPORTED_VERSIONS:
        add("Netzwerk", "", "schema_version",
            f"Schema-Version {version!r} wird nicht unterstützt (diese Version kennt "
            f"{', '.join(map(str, SUPPORTED_VERSIONS))}). Bitte lotsensystem aktualisieren.",
            ("schema_version",))
    else:
        data = migrate(data)
    for key in data:
        if key not in _TOP_KEYS and key not in _HEADER_KEYS:
            add("Netzwerk", "", str(key), "Unbekannter Abschnitt. Erlaubt sind: "
                + ", ".join(_TOP_KEYS) + ".", (key,))

    catalogue = default_catalogue()
    if "catalogue" in data:
        try:
            catalogue = Catalogue.model_validate(data["catalogue"])
        except ValidationError as exc:
            for p in problems_from_validation_error(exc, "Katalog", ""):
                add(p.kind, p.entity_id, p.field, p.message, ("catalogue", *_loc(p)))

    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        add("Netzwerk", "", "name", "Pflichtfeld fehlt oder ist leer: der Name des "
            "Netzwerks (z. B. 'Netzwerk INFamilie Brunnenstraße').", ("name",))
        name = "?"
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        add("Netzwerk", "", "description", "Die Beschreibung muss Text sein.",
            ("description",))
        description = None

    sections: dict[str, list[BaseModel]] = {}
    invalid_ids: set[str] = set()
    for section, model in ALL_SECTIONS.items():
        raw = data.get(section)
        sections[section] = []
        if raw is None:
            continue
        if not isinstance(raw, list):
            add("Netzwerk", "", section, "Der Abschnitt muss eine Liste sein "
                "(jeder Eintrag beginnt mit '- ').", (section,))
            continue
        for i, item in enumerate(raw):
            if not i % 1000:
                budget_check()
            eid = _entity_id(section, item, i)
            item = catalogue.with_ids(section, item)  # "Säuglingsalter" -> infant
            try:
                sections[section].append(model.model_validate(item))
            except ValidationError as exc:
                partial = _without_bad_fields(model, item, exc)
                if partial is not None:  # still check the references of its good fields
                    sections[section].append(partial)
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    invalid_ids.add(item["id"])
                for p in problems_from_validation_error(exc, KIND_NAMES[section], eid):
                    add(p.kind, p.entity_id, p.field, p.message, (section, i, *_loc(p)))

    fields: dict[str, Any] = {"name": name, "description": description,
                              "catalogue": catalogue, **sections}
    net = Network.model_construct(**fields)
    for p in check_network(net, also_known=invalid_ids):
        problems.append(Problem(p.kind, p.entity_id, p.field, p.message,
                                locate(_path_of(data, p)), source))
    if problems:
        raise InvalidNetworkError(problems, source)
    return Network(**fields)


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A document of an older supported schema version in the current shape.

    Version 1 → 2: nothing to change – version 2 only added the optional sections
    ``accepted_findings`` and ``measures``; a version-1 document gains nothing and loses
    nothing. Version 2 → 3: the same – version 3 only added the optional section
    ``meetings`` and the optional field ``meeting`` of measures and acceptances.

    >>> migrate({"schema_version": 1, "name": "N"})["schema_version"]
    3
    >>> migrate({"schema_version": 2, "name": "N", "measures": []})["measures"]
    []
    """
    version = data.get("schema_version", SCHEMA_VERSION)
    if version in (1, 2):
        data = {**data, "schema_version": 3}
    return data


def _without_bad_fields(model: type[BaseModel], item: Any,
                        exc: ValidationError) -> BaseModel | None:
    """The entity without its broken optional fields, or None if a required one broke."""
    if not isinstance(item, dict):
        return None
    bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
    good = {k: v for k, v in item.items() if k not in bad}
    raw_id = item.get("id")
    if "id" in bad and isinstance(raw_id, str) and raw_id.strip():
        # an id that is not allowed (e.g. with an umlaut) is reported; the entity is still
        # checked under it, so its other problems come at once and references to it hold
        good["id"] = "x"
        try:
            return model.model_validate(good).model_copy(update={"id": raw_id})
        except ValidationError:
            return None
    try:
        return model.model_validate(good)
    except ValidationError:
        return None


# -- where in the file ----------------------------------------------------------------


def _entity_id(section: str, item: Any, index: int) -> str:
    if isinstance(item, dict):
        if isinstance(item.get("id"), str) and item["id"].strip():
            return str(item["id"])
        if section == "referral_flows" and "transition" in item:
            return f"{item.get('transition')}@{item.get('period_start')}"
    return f"Eintrag {index + 1}"


def _loc(problem: Problem) -> tuple[Any, ...]:
    return tuple(int(x) if x.isdigit() else x for x in problem.field.split(".") if x)


def _path_of(data: dict[str, Any], problem: Problem) -> tuple[Any, ...]:
    """The document path of a whole-network problem (section, index, field)."""
    section = next((s for s, k in KIND_NAMES.items() if k == problem.kind), None)
    if section not in ALL_SECTIONS:
        return ()
    for i, item in enumerate(data.get(section) or []):
        if isinstance(item, dict) and _entity_id(section, item, i) == problem.entity_id:
            return (section, i, problem.field)
    return (section,)


class _Locator:
    """Finds the line of a path (keys and indices) in the composed YAML tree."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def __call__(self, path: tuple[Any, ...]) -> int | None:
        node = self.root
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for step in path:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                        child = value
                        line = key.start_mark.line + 1
                        break
            elif (isinstance(node, yaml.SequenceNode) and isinstance(step, int)
                  and 0 <= step < len(node.value)):
                child = node.value[step]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line
