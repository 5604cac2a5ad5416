"""The small YAML files of the server (API tokens, Werkstatt users): read with a German
error, written atomically with a header comment, and re-read when they change on disk (a
new user or a withdrawn token counts without a restart)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from graph.atomic import atomic_write_text
from graph.errors import FormatError

__all__ = ["WatchedFile", "read_model", "write_model"]

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


class WatchedFile(Generic[M]):
    """A file read again only when its modification time changes."""

    def __init__(self, path: Path | None, read: Callable[[Path], M], empty: M) -> None:
        self.path = path
        self._read = read
        self._empty = empty
        self._stamp: int | None = None
        self._value = empty

    def current(self) -> M:
        if self.path is None:
            return self._value
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return self._empty
        if stamp != self._stamp:
            self._value, self._stamp = self._read(self.path), stamp
        return self._value
