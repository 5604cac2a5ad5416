"""Checks on the raw request, in front of everything else (the fast owner route too):

* two ``Authorization`` headers are refused (400): one part of a server must not read
  the first and another the last;
* a write to the JSON API (POST, PUT, PATCH) must be JSON (415 otherwise): valid JSON
  sent as text/plain is refused, not guessed.

Answers use the API's one error shape (``code``, ``message``, ``details``).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RequestGuard"]

_TWO_LOGINS = ("Die Anfrage enthält mehr als einen Authorization-Kopf; bitte genau ein Token "
               "senden ('Authorization: Bearer …').")
_NOT_JSON = ("Bitte JSON senden (Content-Type: application/json); diese Anfrage hat "
             "'{kind}'.")
_WRITES = ("POST", "PUT", "PATCH")


def _is_json(kind: str) -> bool:
    media = kind.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            logins = 0
            kind = None
            for name, value in scope["headers"]:
                if name == b"authorization":
                    logins += 1
                elif name == b"content-type":
                    kind = value.decode("latin-1")
            if logins > 1:
                await _answer(send, 400, "BAD_REQUEST", _TWO_LOGINS)
                return
            if scope["method"] in _WRITES and scope["path"].startswith("/api/") \
                    and not _is_json(kind or ""):
                await _answer(send, 415, "UNSUPPORTED_MEDIA_TYPE",
                              _NOT_JSON.format(kind=(kind or "ohne Angabe")[:60]))
                return
        await self.app(scope, receive, send)


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"code": code, "message": message, "details": []},
                      ensure_ascii=False).encode("utf-8", "replace")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
