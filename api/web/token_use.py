"""When each API token was last used: a small file beside the token file
(``tokens.yaml`` → ``tokens.used.json``), keyed by the token's hash, written by the server
at most once per token and day (so an answer never waits on the disk twice a day).

The token file itself stays as people and ``lotse token`` write it: a server that marks
use must not race with ``lotse token add`` on the same file.

>>> import tempfile, datetime as dt
>>> folder = Path(tempfile.mkdtemp())
>>> use = TokenUse(folder / "tokens.yaml")
>>> use.mark("ab" * 32, dt.date(2026, 3, 1))
>>> TokenUse(folder / "tokens.yaml").last_used("ab" * 32)
datetime.date(2026, 3, 1)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from pathlib import Path

from graph.atomic import atomic_write_text

__all__ = ["TokenUse", "used_file"]


def used_file(tokens_file: Path) -> Path:
    return tokens_file.with_name(tokens_file.stem + ".used.json")


class TokenUse:
    def __init__(self, tokens_file: Path | None) -> None:
        self.path = used_file(tokens_file) if tokens_file is not None else None
        self._lock = threading.Lock()
        self._days: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._days is None:
            self._days = {}
            if self.path is not None and self.path.exists():
                try:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                    self._days = {str(k): str(v) for k, v in dict(data).items()}
                except (ValueError, TypeError, OSError):
                    self._days = {}  # a broken file only loses the dates
        return self._days

    def last_used(self, sha256: str) -> dt.date | None:
        with self._lock:
            day = self._read().get(sha256)
        try:
            return dt.date.fromisoformat(day) if day else None
        except ValueError:
            return None

    def mark(self, sha256: str, day: dt.date | None = None) -> None:
        """Record that the token with this hash was used on ``day`` (today)."""
        text = (day or dt.date.today()).isoformat()
        days = self._days
        if days is not None and days.get(sha256) == text:
            return  # the usual case: already marked today, no lock, no disk
        if self.path is None:
            return
        with self._lock:
            days = self._read()
            if days.get(sha256) == text:
                return
            days[sha256] = text
            with contextlib.suppress(OSError):  # a read-only folder must not stop the answer
                atomic_write_text(self.path, json.dumps(days, indent=1, sort_keys=True))
