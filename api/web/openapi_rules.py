"""The OpenAPI document states what the server enforces, not less:

* ``If-Match`` is required wherever a missing one is answered with 428 (every PUT and
  DELETE, ``PUT /network`` too), with the form of a version;
* path keys carry the pattern of an id (a referral flow's ``übergang@JJJJ-MM-TT``, an
  accepted finding's ``CODE/kennung``); a quarter in the questions may also be named;
* every API route may answer 400 (two Authorization headers, malformed JSON), writes
  also 413 (too large) and 415 (not JSON).

The ``as_of`` pattern (years 1900–2200) is declared where the parameter is defined
(:mod:`api.web.deps`); the ``Allow`` header of a 405 is built in :mod:`api.web.errors`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.web.errors import responses
from graph.model import ID_PATTERN

__all__ = ["IF_MATCH_PATTERN", "install_openapi"]

IF_MATCH_PATTERN = r'^(\*|(W/)?"?[0-9]{1,18}"?)$'
_ID = ID_PATTERN.pattern
_FLOW = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}@[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_FINDING = r"^[A-Z][A-Z_]*(/[A-Za-z0-9][A-Za-z0-9_.:-]{0,99})+$"
_NAME_OR_ID = r"^[^\x00-\x1f\x7f/]{1,300}$"


def _key_pattern(path: str, name: str) -> str:
    if name != "key":
        return _NAME_OR_ID  # a quarter or transition in a question: id or name
    if path.startswith("/api/v1/referral-flows/"):
        return _FLOW
    if path.startswith("/api/v1/accepted-findings/"):
        return _FINDING
    return _ID


def _tighten(spec: dict[str, Any]) -> None:
    extra = {str(k): v for k, v in responses(400, 413, 415).items()}
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            if not path.startswith("/api/"):
                continue
            for param in op.get("parameters", []):
                if param.get("in") == "header" and param["name"].lower() == "if-match":
                    param["required"] = True
                    param["schema"] = {"type": "string", "pattern": IF_MATCH_PATTERN,
                                       "title": "If-Match"}
                elif param.get("in") == "path":
                    param["schema"] = {**param.get("schema", {}), "type": "string",
                                       "pattern": _key_pattern(path, param["name"])}
            answers = op.setdefault("responses", {})
            wanted = ["400"] + (["413", "415"] if method in ("post", "put") else [])
            for status in wanted:
                if status not in answers:
                    entry = dict(extra[status])
                    entry["content"] = {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ErrorBody"}}}
                    entry.pop("model", None)
                    answers[status] = entry
    components.setdefault("ErrorBody", {"type": "object"})


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the tightened document (built once)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            _tighten(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
