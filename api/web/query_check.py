"""Unknown query parameters are refused (400), not silently ignored: a misspelt
``?as_off=2026-01-01`` would otherwise answer for today, and the OpenAPI document
states every parameter a route takes, nothing more."""

from __future__ import annotations

import types
import typing
from collections.abc import Collection, Mapping

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.web.errors import InvalidParameterError

__all__ = ["no_unknown_query"]

_ALLOWED: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


class UnknownParameterError(InvalidParameterError):
    """A query parameter the route does not take (400: the request is malformed; every
    API route documents 400)."""

    status = 400


def _is_list(annotation: object) -> bool:
    """Whether a query parameter takes several values (``list[str] | None`` and the like)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    return isinstance(origin, type) and issubclass(origin, Collection) \
        and not issubclass(origin, str | bytes | Mapping)


def _query_names(dependant: Dependant) -> dict[str, bool]:
    """Every query parameter of a route and whether it may repeat."""
    names = {p.alias: _is_list(p.field_info.annotation) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _allowed(route: APIRoute) -> tuple[frozenset[str], frozenset[str]]:
    """The query parameters a route takes, and those of them that may repeat."""
    known = _ALLOWED.get(id(route))
    if known is None:
        names = _query_names(route.dependant)
        known = frozenset(names), frozenset(n for n, many in names.items() if many)
        _ALLOWED[id(route)] = known
    return known


def no_unknown_query(request: Request) -> None:
    """Dependency of every API route: 400 naming the first unknown query parameter, or
    the first one given twice that takes one value (which one counts would be a guess)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed, repeatable = _allowed(route)
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name not in allowed:
            shown = name if len(name) <= 60 else name[:59] + "…"
            shown = shown.encode("utf-8", "replace").decode("utf-8")
            hint = (f"erlaubt sind: {', '.join(sorted(allowed))}" if allowed
                    else "diese Anfrage nimmt keine Parameter")
            raise UnknownParameterError(shown, f"unbekannter Parameter; {hint}.")
        if name in seen and name not in repeatable:
            raise UnknownParameterError(name, "nur einmal angeben; dieser Parameter nimmt "
                                              "einen einzigen Wert.")
        seen.add(name)
