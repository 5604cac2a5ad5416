"""Limits in front of the app: a request body larger than its route allows is refused
(413) before anything is parsed or written to a temporary file.

Per route (docs/limits.md): the Werkstatt's forms and uploads up to the largest upload;
the JSON API up to :data:`API_BODY` for one entry and :data:`NETWORK_BODY` for a whole
network (``PUT /api/v1/network``). The API answers in its JSON error shape, the
Werkstatt in plain German text.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["API_BODY", "NETWORK_BODY", "BodyLimit", "body_limit"]

API_BODY = 1024 * 1024
"""One entry over the JSON API: the largest allowed entry (20,000 characters of
description, 1,000 parties …) stays well below 1 MB."""

NETWORK_BODY = 64 * 1024 * 1024
"""A whole network over the JSON API (a city of 60 quarters is some 15 MB as JSON)."""

_TOO_LARGE = ("Die Anfrage ist zu groß: höchstens {mb} MB (eine Datei zum Import). Bitte eine "
              "kleinere Datei wählen.")
_API_TOO_LARGE = ("Die Anfrage ist zu groß: höchstens {size} für {what}. Grenzen: "
                  "docs/limits.md.")


def body_limit(path: str, method: str, upload: int) -> int:
    """The largest body (bytes) a request to ``path`` may carry."""
    if path.startswith("/api/"):
        return NETWORK_BODY if path.rstrip("/") == "/api/v1/network" else API_BODY
    return upload


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit  # the Werkstatt's (the largest upload)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], scope["method"], self.limit)
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await self._refuse(scope, send, limit)
                return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        if scope["path"].startswith("/api/"):
            what = ("ein ganzes Netzwerk" if limit == NETWORK_BODY else "einen Eintrag")
            message = _API_TOO_LARGE.format(size=_size(limit), what=what)
            body = json.dumps({"code": "TOO_LARGE", "message": message, "details": []},
                              ensure_ascii=False).encode()
            kind = b"application/json"
        else:
            body = _TOO_LARGE.replace("{mb}", str(limit // (1024 * 1024))).encode()
            kind = b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
