"""Unknown query parameters are refused (400), not silently ignored: a misspelt
``?as_off=2026-01-01`` would otherwise answer for today, and the OpenAPI document
states every parameter a route takes, nothing more."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.web.errors import InvalidParameterError

__all__ = ["no_unknown_query"]

_ALLOWED: dict[int, frozenset[str]] = {}


class UnknownParameterError(InvalidParameterError):
    """A query parameter the route does not take (400: the request is malformed; every
    API route documents 400)."""

    status = 400


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _allowed(route: APIRoute) -> frozenset[str]:
    known = _ALLOWED.get(id(route))
    if known is None:
        known = frozenset(_query_names(route.dependant))
        _ALLOWED[id(route)] = known
    return known


def no_unknown_query(request: Request) -> None:
    """Dependency of every API route: 400 naming the first unknown query parameter."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _allowed(route)
    for name in request.query_params:
        if name not in allowed:
            shown = name if len(name) <= 60 else name[:59] + "…"
            shown = shown.encode("utf-8", "replace").decode("utf-8")
            hint = (f"erlaubt sind: {', '.join(sorted(allowed))}" if allowed
                    else "diese Anfrage nimmt keine Parameter")
            raise UnknownParameterError(shown, f"unbekannter Parameter; {hint}.")
