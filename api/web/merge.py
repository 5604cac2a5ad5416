"""Merging a file into the network over HTTP: ``POST /api/v1/network/merge``.

The body is a network document (docs/format.md), e.g. one quarter's part; only what it
holds is added or changed (``prune``: what its quarters no longer list is removed).
If-Match carries the ETag of the export it was made from; when the store changed since,
the answer is 409 and nothing changes. Editors may merge files whose changes lie wholly
in their quarters (the same check as for single changes); ``dry_run`` shows the change
list without writing. A merge is one change in the audit trail, never half applied.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query
from pydantic import BaseModel, Field

from api.usecases.files import Incoming, read_body
from api.usecases.imports import merge_file
from api.usecases.roles import ForbiddenError, Role
from api.web.deps import Caller, State
from api.web.errors import responses
from api.web.resources import _SLOW, BODY_SECONDS, _expected
from graph.budget import time_budget
from graph.merge import count_line

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


class ChangeOut(BaseModel):
    action: str = Field(description="new, changed oder removed")
    section: str
    key: str
    name: str
    text: str = Field(description="Die Änderung als deutscher Satz, z. B. „neu: Angebot …“")


class MergeOut(BaseModel):
    written: bool = Field(description="false bei dry_run oder wenn sich nichts ändert")
    summary: str = Field(description="z. B. „neu: 2 · geändert: 1 · entfernt: 0“")
    counts: dict[str, int]
    changes: list[ChangeOut]


@router.post(
    "/network/merge", tags=["Netzwerk"], summary="Eine Datei zusammenführen",
    description="Ergänzt und ändert nur, was das Dokument enthält (z. B. das Blatt eines "
                "Quartiersnetzwerks); mit prune=true wird entfernt, was die Quartiere des "
                "Dokuments nicht mehr aufführen. If-Match: der ETag des Exports "
                "(GET /api/v1/network), auf dem die Datei beruht – hat sich der Speicher "
                "seitdem geändert, antwortet der Server mit 409 und ändert nichts. "
                "Quartiersredaktionen dürfen zusammenführen, was ganz in ihren Quartieren "
                "liegt. dry_run=true zeigt nur die Änderungsliste.",
    response_model=MergeOut, responses=responses(400, 401, 403, 409, 422, 423, 428, 503))
def merge_network(
        store: State, who: Caller,
        document: Annotated[dict[str, Any], Body(
            description="Netzwerk-Dokument (format, schema_version, name, …)")],
        prune: Annotated[bool, Query(description="Entfernen, was die Quartiere des "
                                                 "Dokuments nicht mehr aufführen")] = False,
        dry_run: Annotated[bool, Query(description="Nur die Änderungsliste, nichts "
                                                   "speichern")] = False,
        if_match: Annotated[str | None, Header(
            description="ETag des Exports, auf dem die Datei beruht (oder *)")] = None,
) -> Any:
    if who.role is Role.READER:
        raise ForbiddenError(f"'{who.name}' darf nur lesen (Rolle 'reader').")
    expected = _expected(if_match)  # strict: "12", W/"12" or *; missing: 428
    with time_budget(BODY_SECONDS, _SLOW):
        incoming = Incoming(read_body(document), "document", "Anfrage")
    plan = merge_file(store, who, incoming, prune=prune, dry_run=dry_run,
                      expected_version=expected)
    return {"written": bool(plan.changes) and not dry_run,
            "summary": count_line(plan.changes), "counts": plan.counts(),
            "changes": [{"action": c.action, "section": c.section, "key": c.key,
                         "name": c.name, "text": str(c)} for c in plan.changes]}
