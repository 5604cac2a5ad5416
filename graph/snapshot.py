"""A quick-start file beside a SQLite store: the whole network, ready to use (issue 18).

Reading a Land-sized store row by row takes seconds (decoding 550,000 entities), and the
analysis index takes seconds more. After such a read a command leaves a snapshot beside
the store – ``lotse-speicher.sqlite.schnellstart`` – written in the background once the
command has answered; the next whole read of the same state takes the snapshot instead
(about a third of the time, ``benchmarks/scale.py``).

The snapshot is a cache, never the data: it holds the state it was made from (revision,
checksum and last journal number of the store) and a fingerprint of the code that made
it, and is used only when all of them match; anything else – a change to the store, a
new lotse, a damaged or foreign file – means the store is read as usual. It may be
deleted at any time; ``LOTSE_SCHNELLSTART=0`` switches it off. It is written to a
temporary file and renamed, so a reader never sees half of one.

The payload is a pickle read by an unpickler that knows only lotse's own models, enums,
dates and the classes registered here (:func:`register`): a file planted beside the
store can make no other object and run no code.

>>> key = {"revision": 3, "content_sum": 7, "last_seq": 2}
>>> import tempfile, pathlib
>>> from graph.network import Network
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_snapshot(folder / "k.sqlite", key, Network(name="N"))
True
>>> read_snapshot(folder / "k.sqlite", key).name
'N'
>>> read_snapshot(folder / "k.sqlite", {**key, "revision": 4}) is None
True
"""

from __future__ import annotations

import contextlib
import enum
import functools
import hashlib
import io
import json
import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from graph.formats.trusted import instance
from graph.network import ALL_SECTIONS, Network
from graph.shared_list import SharedList

__all__ = ["SUFFIX", "collect_pending", "enabled", "read_snapshot", "register", "snapshot_path",
           "take_pending", "want_snapshot", "write_pending", "write_snapshot"]

FORMAT = 1
SUFFIX = ".schnellstart"
MAGIC = b"LOTSE-SCHNELLSTART\n"
MIN_ENTITIES = 20_000
"""Only networks at least this large get a snapshot (below it reading the rows is fast)."""

_new = object.__new__
_set = object.__setattr__
_registered: dict[str, tuple[type, ...]] = {}  # cache key -> the classes its value needs
_pending: list[tuple[Path, dict[str, Any], Network]] = []
_pending_lock = threading.Lock()
_collecting = False  # only a short command notes snapshots (a server would keep networks)


def register(cache_key: str, *classes: type) -> None:
    """Keep ``network.cache[cache_key]`` in the snapshot (its value is made of these
    classes besides models, enums and plain data; their modules join the fingerprint)."""
    _registered[cache_key] = classes
    _fingerprint.cache_clear()


def snapshot_path(store: Path) -> Path:
    """Where the snapshot of ``store`` lives."""
    return store.with_name(store.name + SUFFIX)


@functools.cache
def _fingerprint() -> str:
    """The code the payload depends on: every module of the ``graph`` package (the models
    and the network) and the modules of the registered classes."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]} {sorted(_registered)}".encode())
    package = Path(__file__).parent  # every module and data file (catalogue, formats, ...)
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += sorted({Path(sys.modules[c.__module__].__file__ or "")
                     for classes in _registered.values() for c in classes})
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _model(cls: type[BaseModel], values: tuple[Any, ...], fields_set: set[str]) -> BaseModel:
    """A model instance from its field values, as :mod:`graph.formats.trusted` makes one."""
    template, names = _template(cls)
    if len(values) != len(names):
        raise pickle.UnpicklingError(f"{cls.__name__}: {len(values)} Werte")
    data = template.copy()
    data.update(zip(names, values, strict=True))
    return instance(cls, data, fields_set)


@functools.cache
def _template(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[str, ...]]:
    names = tuple(cls.model_fields)
    probe = _new(cls)
    for name in names:
        _set(probe, name, None)
    return probe.__dict__, names  # copies of it share the key table (a "split" dict)


def _network(values: dict[str, Any], sections: dict[str, tuple[type[BaseModel], list[Any],
                                                                 list[set[str]]]]) -> Network:
    """The network from its plain fields and each section's columns of field values (one
    loop per section instead of a call per entity; a few long lists rather than a tuple
    per entity, which would leave the memory they took scattered among the entities)."""
    for section, (cls, columns, given) in sections.items():
        template, names = _template(cls)
        if len(columns) != len(names) or any(len(c) != len(given) for c in columns):
            raise pickle.UnpicklingError(f"{section}: Spalten passen nicht zu {cls.__name__}")
        copy = template.copy
        items: list[BaseModel] = []
        append = items.append
        for fields_set, row in zip(given, zip(*columns, strict=True), strict=True):
            data = copy()
            data.update(zip(names, row, strict=True))
            append(instance(cls, data, fields_set))
        values[section] = items
        columns.clear()  # drop the columns as soon as their section is made
    return Network.model_construct(**values)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is Network:
            values = {n: getattr(obj, n) for n in Network.model_fields
                      if n not in ALL_SECTIONS}
            sections = {}
            for section in ALL_SECTIONS:
                items = getattr(obj, section)
                cls = ALL_SECTIONS[section]
                names = _template(cls)[1]
                if any(type(e) is not cls or e.__pydantic_extra__ or e.__pydantic_private__
                       for e in items):
                    raise pickle.PicklingError(f"{section}: unerwartete Einträge")
                sections[section] = (cls, [[e.__dict__[n] for e in items] for n in names],
                                     [e.__pydantic_fields_set__ for e in items])
            return _network, (values, sections)
        if isinstance(obj, BaseModel):
            cls = type(obj)
            if obj.__pydantic_extra__ or obj.__pydantic_private__:
                raise pickle.PicklingError(f"{cls.__name__}: zusätzliche Felder")
            data = obj.__dict__
            return _model, (cls, tuple(data[n] for n in _template(cls)[1]),
                            obj.__pydantic_fields_set__)
        if type(obj) is SharedList:
            return SharedList, (tuple(obj),)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    """Makes nothing but lotse's models and enums, dates, shared lists and the registered
    classes (the restriction the Python documentation recommends for pickles)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, "_model"):
            return _model
        if (module, name) == (__name__, "_network"):
            return _network
        if (module, name) == ("graph.shared_list", "SharedList"):
            return SharedList
        if (module, name) == ("datetime", "date"):
            import datetime

            return datetime.date
        found = getattr(sys.modules.get(module), name, None) \
            if module.startswith("graph.") else None
        if isinstance(found, type) and issubclass(found, BaseModel | enum.Enum):
            return found
        for classes in _registered.values():
            for cls in classes:
                if (cls.__module__, cls.__qualname__) == (module, name):
                    return cls
        raise pickle.UnpicklingError(f"{module}.{name} gehört nicht in eine Schnellstart-Datei")


def _allowed_classes() -> list[type]:
    """Every class a file may name (see :class:`_Unpickler`)."""
    found: list[type] = [SharedList]
    for name, module in list(sys.modules.items()):
        if name.startswith("graph.") and module is not None:
            found += [c for c in vars(module).values()
                      if isinstance(c, type) and issubclass(c, BaseModel | enum.Enum)]
    found += [c for classes in _registered.values() for c in classes]
    return found


def _class_state() -> dict[type, dict[str, Any]]:
    """The attributes of those classes, to compare before and after a read."""
    return {c: dict(vars(c)) for c in _allowed_classes()}


def _changed(before: dict[type, dict[str, Any]]) -> bool:
    for cls, attributes in before.items():
        now = vars(cls)
        if now.keys() != attributes.keys() or any(now[k] is not v for k, v in attributes.items()):
            return True
    return False


def _restore(before: dict[type, dict[str, Any]]) -> None:
    """Put back what a planted file set on a class (pickle's BUILD can set attributes)."""
    for cls, attributes in before.items():
        for name in set(vars(cls)) - set(attributes):
            with contextlib.suppress(AttributeError, TypeError):
                delattr(cls, name)
        for name, value in attributes.items():
            if vars(cls).get(name) is not value:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(cls, name, value)


def _header(key: Mapping[str, Any], network: Network) -> bytes:
    return json.dumps({"format": FORMAT, "fingerprint": _fingerprint(), "key": dict(key),
                       "services": len(network.services),
                       "transitions": len(network.transitions)}, sort_keys=True).encode()


def write_snapshot(store: Path, key: Mapping[str, Any], network: Network) -> bool:
    """Write the snapshot of ``network`` (the state ``key`` of ``store``) atomically;
    False when it cannot be written here (no right to write, no space): it is a cache."""
    target = snapshot_path(store)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    extras = {k: network.cache[k] for k in _registered if k in network.cache}
    try:
        mode = store.stat().st_mode & 0o666 if store.exists() else 0o600
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        os.chmod(temporary, mode)  # as readable as the store, not as the umask says
        with os.fdopen(fd, "wb") as f:
            header = _header(key, network)
            f.write(MAGIC + struct.pack("<Q", len(header)) + header)
            _Pickler(f, protocol=5).dump((network, extras))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False


def enabled() -> bool:
    """Whether quick-start files are used and written (``LOTSE_SCHNELLSTART=0``: not)."""
    return os.environ.get("LOTSE_SCHNELLSTART", "1") != "0"


def read_snapshot(store: Path, key: Mapping[str, Any]) -> Network | None:
    """The network of the snapshot beside ``store`` if it was made from the state ``key``
    by this code; None otherwise (the caller reads the store)."""
    if not enabled():
        return None
    try:
        with open(snapshot_path(store), "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            (length,) = struct.unpack("<Q", f.read(8))
            if length > 1_000_000:
                return None
            header = json.loads(f.read(length))
            if (not isinstance(header, dict) or header.get("format") != FORMAT
                    or header.get("fingerprint") != _fingerprint()
                    or header.get("key") != dict(key)):
                return None
            payload = f.read()
    except (OSError, ValueError, struct.error):
        return None
    before = _class_state()
    try:
        network, extras = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # a damaged cache is read past, never trusted
        network = extras = None
    if _changed(before):  # a file that set attributes on a class (pickle's BUILD)
        _restore(before)
        return None
    if (not isinstance(network, Network) or not isinstance(extras, dict)
            or len(network.services) != header.get("services")
            or len(network.transitions) != header.get("transitions")):
        return None
    for cache_key, value in extras.items():
        if cache_key in _registered:
            network.cache[cache_key] = value
    return network


def collect_pending(on: bool = True) -> None:
    """From now on note the networks read in full for a snapshot (a command does; the
    server does not: the notes would keep its earlier networks alive)."""
    global _collecting
    _collecting = on


def want_snapshot(store: Path, key: Mapping[str, Any], network: Network) -> None:
    """Note that ``network`` (the state ``key`` of ``store``, just read in full) should get
    a snapshot when the command is done (:func:`write_pending`); small networks do not."""
    if (not _collecting or not enabled()
            or len(network.services) + len(network.transitions) < MIN_ENTITIES):
        return
    with _pending_lock:
        _pending[:] = [p for p in _pending if p[0] != store]
        _pending.append((store, dict(key), network))


def take_pending() -> list[tuple[Path, dict[str, Any], Network]]:
    """The snapshots noted so far (and forget them)."""
    with _pending_lock:
        taken = list(_pending)
        _pending.clear()
    return taken


def write_pending(background: bool = True) -> int:
    """Write the snapshots noted by this process; with ``background`` in a child process
    that outlives the command (POSIX), so the person waiting has her answer already.
    Returns how many were written (in the background: how many were handed over)."""
    pending = take_pending()
    if not pending:
        return 0
    if not background:
        return sum(write_snapshot(*p) for p in pending)
    return len(pending) if _in_background(lambda: [write_snapshot(*p) for p in pending]) else 0


def _in_background(job: Callable[[], object]) -> int:
    """Run ``job`` in a detached child process; its process id (0: not here, where
    ``fork`` is missing)."""
    if not hasattr(os, "fork"):
        return 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except OSError:  # no process to spare, a closed pipe: it is only a cache
        return 0
    if pid:
        return pid
    try:  # the child: no terminal, no pipes held open for whoever reads the command
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        job()
    finally:
        os._exit(0)
