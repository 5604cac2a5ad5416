"""Atomic file writes: temporary file, fsync, rename, fsync of the folder.

A reader sees the old file or the new file, never a half-written one, even when
the writer is killed in the middle.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(folder / "a.txt", "neu")
>>> (folder / "a.txt").read_text()
'neu'
>>> sorted(p.name for p in folder.iterdir())
['a.txt']

A new file gets the permissions ``open()`` would give it (0644 under the usual umask
022), not the 0600 of a temporary file; a replaced file keeps its own.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["TEMP_PREFIX", "atomic_write_bytes", "atomic_write_text", "remove_stale_temp_files"]

TEMP_PREFIX = ".lotse-tmp-"


def atomic_write_bytes(path: Path, chunks: Iterable[bytes] | bytes) -> None:
    """Write ``chunks`` to ``path`` atomically (same folder, fsync, os.replace)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(chunks, bytes):
                handle.write(chunks)
            else:
                for chunk in chunks:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, path.stat().st_mode & 0o777 if path.exists()
                     else 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(folder)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def remove_stale_temp_files(path: Path) -> int:
    """Remove temporary files a killed writer of ``path`` left behind; returns how many."""
    path = Path(path)
    removed = 0
    for leftover in path.parent.glob(f"{TEMP_PREFIX}{path.name}-*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
