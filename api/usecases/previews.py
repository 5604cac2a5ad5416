"""Import previews kept between "Vorschau" and "Übernehmen": the planned network as a file
in a folder only the server's user can read (shared by its workers), under a random
token, with the version of the state it was planned on. Taking it over later checks that
version in the store's write transaction (:func:`api.usecases.imports.take_over`).

>>> import pathlib, tempfile
>>> from seeds import load_seed
>>> kept = Previews(pathlib.Path(tempfile.mkdtemp()) / "vorschau")
>>> token, digest = kept.keep(load_seed("brunnenstrasse"), 7)
>>> network, version = kept.take(token, digest)
>>> network.name == load_seed("brunnenstrasse").name, version
(True, 7)
>>> kept.take(token, digest)  # doctest: +ELLIPSIS
Traceback (most recent call last):
graph.errors.LotsenError: Diese Vorschau gibt es nicht mehr; ...
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import tempfile
import time
from pathlib import Path

from api.usecases.files import load_document, save_document
from graph.errors import ConflictError, LotsenError
from graph.network import Network

__all__ = ["PREVIEW_HOURS", "Previews", "default_previews"]

PREVIEW_HOURS = 2
"""Previews older than this are removed (a preview is looked at, then taken over)."""
MAX_KEPT = 20
"""Previews kept at once; keeping one more removes the oldest."""
MAX_KEPT_BYTES = 256 * 1024 * 1024
"""Bytes all kept previews may take on disk; keeping more removes the oldest."""
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,60}$")
_GONE = "Diese Vorschau gibt es nicht mehr; bitte die Datei noch einmal hochladen."


class Previews:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _ready(self) -> Path:
        """The folder, only the server's user may read it; old previews are removed."""
        folder = self.folder
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or \
                info.st_mode & 0o077:
            raise LotsenError(f"Der Ordner für Import-Vorschauen ({folder}) gehört nicht dem "
                              "Server oder ist für andere lesbar; bitte entfernen.")
        old = time.time() - PREVIEW_HOURS * 3600
        kept: list[tuple[float, int, Path]] = []
        for leftover in folder.iterdir():
            with contextlib.suppress(OSError):
                info = leftover.stat()
                if info.st_mtime < old:
                    leftover.unlink()
                elif leftover.suffix == ".json":
                    kept.append((info.st_mtime, info.st_size, leftover))
        kept.sort(reverse=True)  # the newest first
        total = 0
        for i, (_, size, path) in enumerate(kept):
            total += size
            if i >= MAX_KEPT - 1 or total > MAX_KEPT_BYTES:  # room for the next one
                self.drop(path.stem)
        return folder

    def drop(self, token: str) -> None:
        """Remove the preview ``token`` (a session's older one, when it makes a new)."""
        if _TOKEN.match(token):
            for leftover in (self.folder / f"{token}.json", self.folder / f"{token}.stand"):
                leftover.unlink(missing_ok=True)

    def keep(self, network: Network, version: int) -> tuple[str, str]:
        """Keep a planned network; returns (token, digest) – the caller binds both to the
        person's session, so that exactly this content is taken over."""
        token = secrets.token_urlsafe(24)
        folder = self._ready()
        save_document(network, folder / f"{token}.json")
        (folder / f"{token}.stand").write_text(str(version), encoding="utf-8")
        return token, _digest(folder / f"{token}.json")

    def take(self, token: str, digest: str) -> tuple[Network, int]:
        """The kept network and the version it was planned on, removed from the folder
        (LotsenError when it is gone or not the one with ``digest``)."""
        folder = self._ready()
        path = folder / f"{token}.json"
        if not _TOKEN.match(token) or not path.exists() or _digest(path) != digest:
            raise LotsenError(_GONE)
        try:
            stand = (folder / f"{token}.stand").read_text(encoding="utf-8")
            network = load_document(path)
        except OSError:
            raise LotsenError(_GONE) from None
        finally:
            for leftover in (path, path.with_suffix(".stand")):
                leftover.unlink(missing_ok=True)
        if not stand.isdigit():  # a preview of an older lotse (it kept a revision)
            raise ConflictError("Diese Vorschau stammt von einer älteren Version der "
                                "Werkstatt; bitte die Datei noch einmal hochladen.")
        return network, int(stand)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def default_previews() -> Previews:
    """The previews of this machine's server user (in the temporary folder)."""
    return Previews(Path(tempfile.gettempdir()) / f"lotse-werkstatt-vorschau-{os.getuid()}")
