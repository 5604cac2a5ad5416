"""What a person does with the chain, as JSON routes: accept a finding or lift the mark,
decide and follow up a Maßnahme, make and bring back backups, undo one change. Each
route parses its input and calls the same use case as the Werkstatt and the command
line (:mod:`api.usecases`); the role check is theirs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from api.usecases.acceptances import accept_finding, lift_acceptance
from api.usecases.backups import backups_of, new_backup, restore
from api.usecases.measures import decide_measure, update_measure
from api.usecases.undo import undo_change
from api.web.deps import AsOf, Caller, State
from api.web.errors import responses
from api.web.resources import _etag, _expected
from graph.journal import AuditEntry
from graph.model import AcceptedFinding, Date, FindingKey, Measure, MeasureStatus

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding: FindingKey = Field(description="Schlüssel des Befunds, z. B. "
                                            "PEARL/sprachbilderbuecher")
    reason: str = Field(min_length=1, max_length=2000,
                        description="Warum der Befund so bleiben darf")
    until: Date | None = Field(default=None, description="Ausgeblendet bis (einschließlich)")


class AcceptOut(BaseModel):
    accepted: AcceptedFinding
    seq: int = Field(description="Nummer der Änderung im Verlauf")


class LiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding: FindingKey


class MeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    responsible: str = Field(min_length=1, max_length=200,
                             description="Verantwortlicher Träger (Kennung oder Name)")
    findings: list[FindingKey] = Field(default_factory=list, max_length=200)
    due: Date | None = None
    note: str | None = Field(default=None, max_length=5000)
    id: str | None = Field(default=None, max_length=100,
                           description="Kennung; ohne: massnahme-N")


class MeasureChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: MeasureStatus | None = None
    note: str | None = Field(default=None, max_length=5000)
    due: Date | None = None


class VersionedMeasure(BaseModel):
    version: int
    data: Measure


class BackupOut(BaseModel):
    name: str
    created: dt.datetime
    size: int
    revision: int | None = Field(description="Nummer der letzten Änderung im gesicherten Stand")
    reason: str


@router.post("/findings/accept", tags=["Befunde"], status_code=201,
             summary="Befund als „geprüft, bewusst so“ markieren",
             description="Blendet einen Befund mit Grund aus (bis zu einem Tag oder ohne "
                         "Ende). Die Koordination überall, Quartiersredaktionen in ihren "
                         "Quartieren.",
             response_model=AcceptOut, responses=responses(401, 403, 404, 409, 422, 503))
def accept(store: State, who: Caller, day: AsOf, body: Annotated[AcceptIn, Body()]) -> Any:
    done = accept_finding(store, who, body.finding, body.reason, day, body.until)
    return {"accepted": done.accepted.model_dump(mode="json"), "seq": done.entry.seq}


@router.post("/findings/unaccept", tags=["Befunde"], summary="Markierung aufheben",
             description="Der Befund zählt wieder als offen.", response_model=AuditEntry,
             responses=responses(401, 403, 404, 409, 422, 503))
def unaccept(store: State, who: Caller, day: AsOf, body: Annotated[LiftIn, Body()]) -> Any:
    return lift_acceptance(store, who, body.finding, day).model_dump(mode="json")


@router.post("/findings/measures", tags=["Maßnahmen"], status_code=201,
             summary="Maßnahme beschließen",
             description="Eine neue Maßnahme zu Befunden: Titel, verantwortlicher Träger, "
                         "fällig am. Die Kennung vergibt der Server, wenn keine genannt ist.",
             response_model=VersionedMeasure,
             responses=responses(401, 403, 404, 409, 422, 503))
def decide(store: State, who: Caller, day: AsOf, response: Response,
           body: Annotated[MeasureIn, Body()]) -> Any:
    m, entry = decide_measure(store, who, body.title, body.responsible, day,
                              findings=body.findings, due=body.due, note=body.note,
                              measure_id=body.id)
    response.headers["ETag"] = _etag(entry.version)
    response.headers["Location"] = f"/api/v1/measures/{m.id}"
    return {"version": entry.version, "data": m.model_dump(mode="json")}


@router.patch("/measures/{key}", tags=["Maßnahmen"], summary="Maßnahme nachhalten",
              description="Status, Notiz oder Fälligkeit ändern (was fehlt, bleibt). If-Match "
                          "mit der Version der Maßnahme ist Pflicht.",
              response_model=VersionedMeasure,
              responses=responses(401, 403, 404, 409, 422, 428, 503))
def follow_up(store: State, who: Caller, day: AsOf, response: Response,
              key: Annotated[str, Path(description="Kennung der Maßnahme")],
              body: Annotated[MeasureChange, Body()],
              if_match: Annotated[str | None, Header(
                  description="Version der Maßnahme (ETag)")] = None) -> Any:
    expected = _expected(if_match)
    given = body.model_dump(exclude_unset=True)
    m, entry = update_measure(store, who, key, day, status=given.get("status"),
                              expected_version=expected,
                              **{k: given[k] for k in ("note", "due") if k in given})
    response.headers["ETag"] = _etag(entry.version)
    return {"version": entry.version, "data": m.model_dump(mode="json")}


@router.get("/backups", tags=["Sicherungen"], summary="Sicherungen auflisten",
            description="Die Sicherungen des Speichers, die neueste zuerst (nur für "
                        "Speicherdateien).",
            response_model=list[BackupOut], responses=responses(401, 403, 503))
def backups(store: State, who: Caller) -> Any:
    who.require_coordinator("Sicherungen ansehen")
    return [{"name": b.path.name, "created": b.created, "size": b.size,
             "revision": b.revision, "reason": b.reason} for b in reversed(backups_of(store))]


@router.post("/backups", tags=["Sicherungen"], status_code=201, summary="Jetzt sichern",
             description="Eine Sicherung des gespeicherten Stands neben den automatischen "
                         "(nur für Speicherdateien; sonst 409).",
             response_model=BackupOut, responses=responses(401, 403, 409, 503))
def make_backup(store: State, who: Caller) -> Any:
    path = new_backup(store, who)
    found = next(b for b in backups_of(store) if b.path == path)
    return {"name": path.name, "created": found.created, "size": found.size,
            "revision": found.revision, "reason": found.reason}


@router.post("/backups/{name}/restore", tags=["Sicherungen"],
             summary="Sicherung zurückholen",
             description="Bringt den Stand der Sicherung zurück – eine Änderung wie jede "
                         "andere; der Stand davor bleibt als Sicherung. If-Match mit dem "
                         "ETag von GET /api/v1/network ist Pflicht.",
             response_model=AuditEntry, responses=responses(401, 403, 404, 409, 428, 503))
def restore_backup(store: State, who: Caller, response: Response,
                   name: Annotated[str, Path(description="Name der Sicherung")],
                   if_match: Annotated[str | None, Header(
                       description="Version des Netzwerks (ETag)")] = None) -> Any:
    entry = restore(store, who, name, _expected(if_match))
    response.headers["ETag"] = _etag(entry.seq)
    return entry.model_dump(mode="json")


@router.post("/audit/{seq}/undo", tags=["Protokoll"], summary="Änderung rückgängig machen",
             description="Stellt den Eintrag wieder her, wie er vor der Änderung war – als "
                         "neue Änderung. Nur solange niemand ihn seitdem geändert hat (409).",
             response_model=AuditEntry, responses=responses(401, 403, 404, 409, 422, 503))
def undo(store: State, who: Caller,
         seq: Annotated[int, Path(ge=1, le=10**12, description="Nummer der Änderung")]) -> Any:
    return undo_change(store, who, seq).model_dump(mode="json")
