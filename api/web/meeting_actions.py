"""Sitzungen as JSON: prepare one (its agenda proposed from the area, as in the
Werkstatt) and ask what changed in its area since the meeting before. Reading, changing
and deleting a Sitzung are the resource routes (``/api/v1/meetings/{id}``); the use
cases are :mod:`api.usecases.meetings`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from api.usecases.meetings import meeting_of, prepare_meeting
from api.web.deps import Caller, State
from api.web.errors import responses
from api.web.resources import _etag
from graph.meeting import Meeting
from graph.model import Date
from lotsen.meetings import since_last

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


class PrepareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=200,
                      description="Das Gremium, z. B. „Steuerungsgruppe Bönen“")
    date: Date = Field(description="Tag der Sitzung")
    attending: list[str] = Field(default_factory=list, max_length=500,
                                 description="Teilnehmende Träger (Kennungen)")
    roles: list[str] = Field(default_factory=list, max_length=100,
                             description="Weitere Teilnehmende als Rollen, nie Namen")
    note: str | None = Field(default=None, max_length=5000)
    id: str | None = Field(default=None, max_length=100,
                           description="Kennung; ohne: aus Gremium und Datum")


class VersionedMeeting(BaseModel):
    version: int
    data: Meeting


class SinceOut(BaseModel):
    since: str = Field(description="Seit wann (Datum der vorigen Sitzung oder erstes Laden)")
    first: bool = Field(description="Keine Sitzung davor: seit dem ersten Laden")
    new_findings: list[str]
    resolved_findings: list[str]
    changed_entries: int
    measures_done: list[str]
    measures_overdue: list[str]


@router.post("/areas/{area}/meetings", tags=["Sitzungen"], status_code=201,
             summary="Sitzung vorbereiten",
             description="Legt eine Sitzung an und schlägt ihre Tagesordnung vor: was "
                         "sich seit der letzten Sitzung des Gebiets geändert hat, die "
                         "wichtigsten Befunde, fällige Maßnahmen und auslaufende "
                         "Vereinbarungen. Nicht für Lesende.",
             response_model=VersionedMeeting,
             responses=responses(401, 403, 404, 409, 422, 503))
def prepare(store: State, who: Caller, response: Response,
            area: Annotated[str, Path(max_length=200, description=(
                "Gebiet: Quartier, Stadtbezirk, Kommune oder Kreis (Kennung oder Name)"))],
            body: Annotated[PrepareIn, Body()]) -> Any:
    meeting, entry = prepare_meeting(store, who, body.body, area, body.date,
                                     attending=body.attending, roles=body.roles,
                                     note=body.note, meeting_id=body.id)
    response.headers["ETag"] = _etag(entry.version)
    response.headers["Location"] = f"/api/v1/meetings/{meeting.id}"
    return {"version": entry.version, "data": meeting.model_dump(mode="json")}


@router.get("/meetings/{key}/since", tags=["Sitzungen"],
            summary="Seit der letzten Sitzung",
            description="Was sich im Gebiet der Sitzung seit der Sitzung davor (oder seit "
                        "dem ersten Laden) geändert hat: Befunde neu und behoben, geänderte "
                        "Einträge, Maßnahmen erledigt und überfällig.",
            response_model=SinceOut, responses=responses(401, 404, 503))
def since(store: State, who: Caller,
          key: Annotated[str, Path(description="Kennung der Sitzung")]) -> Any:
    del who  # anyone who may read
    meeting = meeting_of(store, key)
    got = since_last(store.load(), store.journal(), meeting)
    return {"since": got.since.isoformat(), "first": got.first,
            "new_findings": [f.stable_key for f in got.changes.new],
            "resolved_findings": [f.stable_key for f in got.changes.resolved],
            "changed_entries": len(got.changes.entities),
            "measures_done": [m.id for m in got.done],
            "measures_overdue": [m.id for m in got.overdue]}
