"""API tokens with roles, stored hashed, compared in constant time.

Roles and what each may do: :mod:`api.usecases.roles` (one check for every door).

The token file holds names, roles, quarters and SHA-256 hashes – never a token::

    tokens:
      - name: quartier-brunnenstrasse
        role: editor
        quarters: [brunnenstrasse]
        sha256: 5e88…

>>> token, entry = new_token("bezirk-nord", "reader")
>>> entry.matches(token), entry.matches(token + "x"), len(token) >= 40
(True, False, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from api.usecases.roles import Role
from api.web.yamlfile import read_model, update_model, write_model

__all__ = ["TOKEN_DAYS", "TokenEntry", "TokenFile", "new_token"]


class TokenEntry(BaseModel):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    role: Role
    quarters: list[str] = Field(default_factory=list)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    # the last day the token is valid; None (files written before tokens expired): no end
    expires: dt.date | None = None

    def expired(self, today: dt.date | None = None) -> bool:
        return self.expires is not None and (today or dt.date.today()) > self.expires

    def matches(self, token: str) -> bool:
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest, self.sha256)


_TOKENS_HEADER = "API-Tokens des lotsensystems: nur Hashes, nie die Tokens selbst."


class TokenFile(BaseModel):
    tokens: list[TokenEntry] = Field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> TokenFile:
        return read_model(cls, path, "Die Token-Datei")

    def write(self, path: Path) -> None:
        write_model(self, path, _TOKENS_HEADER)

    @classmethod
    def update(cls, path: Path, change: Callable[[TokenFile], TokenFile]) -> TokenFile:
        """Read, change and write the file under its lock, atomically."""
        return update_model(cls, path, "Die Token-Datei", _TOKENS_HEADER, change)

    def find(self, token: str) -> TokenEntry | None:
        """The entry whose hash matches; every entry is compared (constant time each)."""
        found = None
        for entry in self.tokens:
            if entry.matches(token):
                found = entry
        return found


TOKEN_DAYS = 365
"""How long a new token is valid unless told otherwise (``lotse token add --expires``)."""


def new_token(name: str, role: str, quarters: Iterable[str] = (),
              expires: dt.date | None = None) -> tuple[str, TokenEntry]:
    """A fresh random token and its file entry (the token is shown once, never stored);
    valid until ``expires`` (default: :data:`TOKEN_DAYS` days from today)."""
    token = "lotse_" + secrets.token_urlsafe(32)
    entry = TokenEntry(name=name, role=Role(role), quarters=list(quarters),
                       sha256=hashlib.sha256(token.encode("utf-8")).hexdigest(),
                       expires=expires or dt.date.today() + dt.timedelta(days=TOKEN_DAYS))
    return token, entry


