"""Errors of the lotsensystem, each with a German message that says what to fix.

Findings about a chain are data (see ``lotsen``); these exceptions are for input and
storage that cannot be used at all. The tree is shallow on purpose::

    LotsenError                    every error of ours; ``status`` is the HTTP status
    ├── InvalidNetworkError        the network breaks its rules (list of Problem)   422
    ├── FormatError                a file cannot be read (syntax, encoding)          422
    ├── NotFoundError              unknown id or name, with the closest names        404
    ├── ConflictError              a stale version or an id that is already taken    409
    └── StoreError                 the store cannot be used                          500
        ├── StoreEmptyError        nothing loaded yet                                503
        ├── StoreLockedError       another process is writing                        423
        ├── StoreCorruptError      the store file is broken or of a newer schema     500
        └── StoreUnavailableError  a database server cannot be reached               503

Every error renders the same way (``str(error)``); the CLI prints it without a
traceback, the API turns ``status`` and ``problems`` into one JSON shape.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ConflictError",
    "FormatError",
    "InvalidNetworkError",
    "LotsenError",
    "NotFoundError",
    "Problem",
    "StoreCorruptError",
    "StoreEmptyError",
    "StoreError",
    "StoreLockedError",
    "StoreUnavailableError",
    "closest",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is and what to do.

    ``kind`` is the entity kind in German (e.g. "Angebot"), ``entity_id`` its id (or
    its position when it has no id), ``field`` the field name as written in the file,
    ``line`` the line in the source file when known.

    >>> str(Problem("Angebot", "kita-1", "provider", "Träger 'awo' ist unbekannt."))
    "Angebot 'kita-1', Feld 'provider': Träger 'awo' ist unbekannt."
    """

    kind: str
    entity_id: str
    field: str
    message: str
    line: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source + (f":{self.line}" if self.line else ""))
        elif self.line:
            where.append(f"Zeile {self.line}")
        subject = f"{self.kind} '{self.entity_id}'" if self.entity_id else self.kind
        if self.field:
            subject += f", Feld '{self.field}'"
        prefix = f"{where[0]}: " if where else ""
        return f"{prefix}{subject}: {self.message}"


class LotsenError(Exception):
    """Base of all our errors; the message is German and says what to fix."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidNetworkError(LotsenError):
    """The network breaks its rules; ``problems`` lists every one of them at once."""

    status = 422

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        noun = "Problem" if count == 1 else "Probleme"
        lines = [f"{head}{count} {noun} gefunden, nichts wurde gespeichert:"]
        lines += [f"  • {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class FormatError(LotsenError):
    """A file cannot be read at all (syntax error, wrong encoding, missing file)."""

    status = 422

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.detail = message  # without the file and line, to name the file otherwise
        where = source or ""
        if line is not None:
            where += f", Zeile {line}" if where else f"Zeile {line}"
        super().__init__(f"{where}: {message}" if where else message)


class NotFoundError(LotsenError):
    """An id or name that does not exist; the message offers the closest known ones."""

    status = 404

    def __init__(self, kind: str, wanted: str, known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.wanted = wanted
        self.suggestions = closest(wanted, known)
        message = f"{kind} '{wanted}' ist unbekannt."
        if self.suggestions:
            message += " Meinten Sie " + " oder ".join(f"'{s}'" for s in self.suggestions) + "?"
        super().__init__(message)


class ConflictError(LotsenError):
    """The change collides with the stored state (stale version, id already taken)."""

    status = 409


class StoreError(LotsenError):
    """The store cannot be used."""

    status = 500


class StoreEmptyError(StoreError):
    """Nothing has been loaded into the store yet (a server answers 503 until it is)."""

    status = 503


class StoreLockedError(StoreError):
    """Another process holds the write lock of the store."""

    status = 423


class StoreCorruptError(StoreError):
    """The store file is broken, or written by a newer version of the tool."""

    status = 500


class StoreUnavailableError(StoreError):
    """A database server cannot be reached."""

    status = 503


def closest(wanted: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known names most similar to ``wanted`` (case-insensitive).

    >>> closest("AWO Dortmnd", ["AWO Dortmund", "Diakonie Dortmund", "Caritas"])
    ['AWO Dortmund']
    """
    lowered = {o.lower(): o for o in dict.fromkeys(known)}
    target = wanted.lower()
    scored = []
    for low, original in lowered.items():
        matcher = difflib.SequenceMatcher(None, target, low)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            ratio = matcher.ratio()
            if ratio >= 0.6:
                scored.append((ratio, original))
    if not scored:
        return []
    scored.sort(key=lambda x: (-x[0], x[1]))
    best = scored[0][0]
    return [name for ratio, name in scored[:n] if ratio >= best - 0.15]
