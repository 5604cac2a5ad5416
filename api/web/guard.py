"""A check on the raw request, in front of everything else (the fast owner route too):
two ``Authorization`` headers are refused (400) – one part of a server must not read the
first and another the last. The answer uses the API's one error shape (``code``,
``message``, ``details``).

(A write that is not JSON is answered with 415 by :mod:`api.web.errors`, after routing:
an unknown method must still get its 405.)
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RequestGuard"]

_TWO_LOGINS = ("Die Anfrage enthält mehr als einen Authorization-Kopf; bitte genau ein Token "
               "senden ('Authorization: Bearer …').")


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            logins = sum(1 for name, _ in scope["headers"] if name == b"authorization")
            if logins > 1:
                await _answer(send, 400, "BAD_REQUEST", _TWO_LOGINS)
                return
        await self.app(scope, receive, send)


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"code": code, "message": message, "details": []},
                      ensure_ascii=False).encode("utf-8", "replace")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
