"""The small YAML files of the server (API tokens, Werkstatt users): read with a German
error, written atomically with a header comment, and re-read when they change on disk (a
new user or a withdrawn token counts without a restart).

A change (a logout's new session key, ``lotse user remove``) reads, changes and writes the
file under a lock beside it (``benutzer.yaml.lock``, released by the OS if the writer
dies): two servers and the command line never write over each other's change.

>>> import tempfile, pathlib
>>> from pydantic import BaseModel
>>> class Names(BaseModel):
...     names: list[str] = []
>>> path = pathlib.Path(tempfile.mkdtemp()) / "namen.yaml"
>>> def add(value: Names) -> Names:
...     return Names(names=[*value.names, "k.meier"])
>>> update_model(Names, path, "Die Namensdatei", "Namen", add).names
['k.meier']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

import yaml
from filelock import FileLock
from filelock import Timeout as LockTimeout
from pydantic import BaseModel, ValidationError

from graph.atomic import atomic_write_text
from graph.errors import FormatError, LotsenError

__all__ = ["WatchedFile", "locked", "read_model", "update_model", "write_model"]

M = TypeVar("M", bound=BaseModel)


def read_model(model: type[M], path: Path, what: str) -> M:
    """The file as ``model`` (empty when it does not exist); a broken file is a
    FormatError naming ``what`` (e.g. "Die Token-Datei")."""
    if not path.exists():
        return model()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return model.model_validate(data)
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
        raise FormatError(f"{what} ist fehlerhaft: {exc}", str(path)) from None


def write_model(value: BaseModel, path: Path, header: str) -> None:
    text = f"# {header}\n" + yaml.safe_dump(value.model_dump(mode="json"), allow_unicode=True,
                                            sort_keys=False)
    atomic_write_text(path, text)


@contextmanager
def locked(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the lock of ``path`` (across threads and processes) while the block runs."""
    lock = FileLock(str(path) + ".lock", timeout=timeout)
    try:
        lock.acquire()
    except LockTimeout:
        raise LotsenError(f"Die Datei {path} wird gerade von einem anderen Vorgang geändert "
                          f"(Sperre {lock.lock_file}). Bitte kurz warten und erneut "
                          "versuchen.") from None
    try:
        yield
    finally:
        lock.release()


def update_model(model: type[M], path: Path, what: str, header: str,
                 change: Callable[[M], M]) -> M:
    """Read, change and write the file as one step under its lock; the written value."""
    with locked(path):
        value = change(read_model(model, path, what))
        write_model(value, path, header)
        return value


class WatchedFile(Generic[M]):
    """A file read again only when it changes: its modification time, inode or size (an
    atomic replace makes a new inode, even within the file system's clock tick)."""

    def __init__(self, path: Path | None, read: Callable[[Path], M], empty: M) -> None:
        self.path = path
        self._read = read
        self._empty = empty
        self._stamp: tuple[int, int, int] | None = None
        self._value = empty

    def current(self) -> M:
        if self.path is None:
            return self._value
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return self._empty
        stamp = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        if stamp != self._stamp:
            self._value, self._stamp = self._read(self.path), stamp
        return self._value
