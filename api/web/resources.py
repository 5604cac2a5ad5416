"""The entities of the chain as resources: list (filter, paging), read, create, update,
delete – each with its version (ETag / If-Match) and its audit trail – plus import and
export of the whole network in the documented format."""


import re
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Body, Header, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.usecases.edits import change_entry
from api.usecases.files import read_body
from api.usecases.imports import take_over
from api.usecases.roles import touched_quarters
from api.web.deps import Caller, Snap, State
from api.web.errors import InvalidParameterError, PreconditionRequiredError, responses
from graph.budget import time_budget
from graph.edit import entity_key, find
from graph.formats.document import to_data
from graph.journal import AuditEntry
from graph.network import ALL_SECTIONS, KIND_NAMES, Network

__all__ = ["PATHS", "router"]

T = TypeVar("T", bound=BaseModel)

PATHS = {"municipalities": "municipalities", "districts": "districts", "quarters": "quarters",
         "providers": "providers", "services": "services", "transitions": "transitions",
         "agreements": "agreements", "referral_flows": "referral-flows",
         "accepted_findings": "accepted-findings", "measures": "measures", "sites": "sites",
         "meetings": "meetings"}
_TAG = {"municipalities": "Kommunen", "districts": "Stadtbezirke", "quarters": "Quartiere",
        "providers": "Träger", "services": "Angebote", "transitions": "Übergänge",
        "agreements": "Vereinbarungen", "referral_flows": "Vermittlungszahlen",
        "accepted_findings": "Geprüfte Befunde", "measures": "Maßnahmen", "sites": "Standorte",
        "meetings": "Sitzungen"}

router = APIRouter(prefix="/api/v1")


class Versioned(BaseModel, Generic[T]):
    version: int = Field(description="Version des Eintrags; für If-Match bei Änderungen")
    data: T


class Page(BaseModel, Generic[T]):
    items: list[Versioned[T]]
    total: int = Field(description="Treffer insgesamt (vor dem Blättern)")
    offset: int
    limit: int


class AuditPage(BaseModel):
    items: list[AuditEntry]
    total: int
    offset: int
    limit: int


_VERSION = re.compile(r"[0-9]{1,18}")


BODY_SECONDS = 60.0
"""How long reading a network document sent to the API may take; then it is refused."""
_SLOW = (f"Anfrage: Das Dokument zu lesen dauert zu lange (mehr als {BODY_SECONDS:g} "
         "Sekunden); nichts wurde gespeichert. Bitte in Teilen senden.")

def _etag(version: int) -> str:
    return f'"{version}"'


def _expected(if_match: str | None) -> int | None:
    """The version an If-Match header names (None for '*'); 428 when missing."""
    if if_match is None:
        raise PreconditionRequiredError(
            "If-Match fehlt: bitte die Version mitsenden, auf der die Änderung beruht (ETag "
            "aus dem letzten Lesen, z. B. If-Match: \"3\"), damit keine Änderung verloren "
            "geht.")
    value = if_match.strip()
    if value == "*":
        return None
    value = value.removeprefix("W/").strip('"')
    if not _VERSION.fullmatch(value):  # ASCII digits only ('¹' is a digit to str.isdigit)
        raise InvalidParameterError("If-Match", f"'{if_match}' ist keine Version "
                                                "(z. B. \"3\").")
    return int(value)


def _matches(net: Network, section: str, entity: Any, quarter: str | None,
             provider: str | None, text: str | None) -> bool:
    if quarter is not None:
        if section == "quarters":
            if entity.id != quarter:
                return False
        elif section == "referral_flows":
            t = net.transition_index.get(entity.transition)
            if t is None or quarter not in touched_quarters(net, "transitions", t):
                return False
        elif quarter not in touched_quarters(net, section, entity):
            return False
    if provider is not None:
        owners = {"services": lambda e: {e.provider}, "transitions": lambda e: {e.owner},
                  "agreements": lambda e: set(e.parties), "providers": lambda e: {e.id}}
        if section not in owners or provider not in owners[section](entity):
            return False
    if text:
        name = getattr(entity, "name", "") or entity_key(entity)
        if text.casefold() not in name.casefold():
            return False
    return True


def _register(section: str, model: type[BaseModel]) -> None:
    path = f"/{PATHS[section]}"
    # a finding's key holds '/' (CODE/id/…): the whole rest of the path is the key, and
    # the change history of such an entry is read from /audit
    one = "/{key:path}" if section == "accepted_findings" else "/{key}"
    kind = KIND_NAMES[section]
    tag = _TAG[section]
    key_doc = ("Kennung" if section != "referral_flows"
               else "Schlüssel 'übergang@periodenbeginn', z. B. t1@2025-01-01")

    async def list_items(
        snap: Snap, who: Caller,
        quarter: Annotated[str | None, Query(description="Nur Einträge dieses Quartiers "
                                                         "(Kennung)")] = None,
        provider: Annotated[str | None, Query(description="Nur Einträge dieses Trägers "
                                                          "(Kennung)")] = None,
        q: Annotated[str | None, Query(description="Name enthält diesen Text")] = None,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Any:
        net, journal = snap.network, snap.journal
        hits = [e for e in getattr(net, section) if _matches(net, section, e, quarter,
                                                              provider, q)]
        page = hits[offset:offset + limit]
        return {"items": [{"version": journal.version(section, entity_key(e)),
                           "data": e.model_dump(mode="json")} for e in page],
                "total": len(hits), "offset": offset, "limit": limit}

    router.add_api_route(
        path, list_items, methods=["GET"], tags=[tag], summary=f"{tag} auflisten",
        description=f"{tag} des Netzwerks mit Version, gefiltert und seitenweise.",
        response_model=Page[model],  # type: ignore[valid-type]
        responses=responses(401, 422, 503), operation_id=f"list_{section}")

    async def read_item(snap: Snap, who: Caller,
                        key: Annotated[str, Path(description=key_doc)]) -> Any:
        entity = find(snap.network, section, key)
        version = snap.journal.version(section, key)
        return JSONResponse({"version": version, "data": entity.model_dump(mode="json")},
                            headers={"ETag": _etag(version)})

    router.add_api_route(
        path + one, read_item, methods=["GET"], tags=[tag], summary=f"{kind} lesen",
        description=f"Ein {kind} mit Version; der ETag-Kopf trägt die Version für If-Match.",
        response_model=Versioned[model],  # type: ignore[valid-type]
        responses=responses(401, 404, 503), operation_id=f"read_{section}")

    def create_item(store: State, who: Caller, response: Response,
                    entity: Annotated[model, Body()]) -> Any:  # type: ignore[valid-type]
        done = change_entry(store, who, section, None, entity, create=True)
        new, entry, key = done.after, done.entry, done.key
        response.status_code = 201
        response.headers["ETag"] = _etag(entry.version)
        response.headers["Location"] = f"/api/v1{path}/{key}"
        # as stored: German names of life stages and fields are kept as their ids
        return {"version": entry.version, "data": find(new, section, key).model_dump(mode="json")}

    router.add_api_route(
        path, create_item, methods=["POST"], tags=[tag], summary=f"{kind} anlegen",
        description=f"Legt ein {kind} an; das ganze Netzwerk wird geprüft (422 nennt jedes "
                    "Problem mit Feld). Vergebene Kennung: 409.",
        status_code=201, response_model=Versioned[model],  # type: ignore[valid-type]
        responses=responses(400, 401, 403, 409, 422, 423, 503),
        operation_id=f"create_{section}")

    def update_item(store: State, who: Caller, response: Response,
                    key: Annotated[str, Path(description=key_doc)],
                    entity: Annotated[model, Body()],  # type: ignore[valid-type]
                    if_match: Annotated[str | None, Header(
                        description="Version, auf der die Änderung beruht (ETag), z. B. \"3\"",
                        examples=['"1"'])] = None) -> Any:
        expected = _expected(if_match)
        done = change_entry(store, who, section, key, entity, expected_version=expected)
        new, entry = done.after, done.entry
        response.headers["ETag"] = _etag(entry.version)
        return {"version": entry.version, "data": find(new, section, key).model_dump(mode="json")}

    router.add_api_route(
        path + one, update_item, methods=["PUT"], tags=[tag], summary=f"{kind} ändern",
        description=f"Ersetzt ein {kind}. If-Match mit der gelesenen Version ist Pflicht; ist "
                    "sie veraltet, antwortet der Server mit 409 und ändert nichts.",
        response_model=Versioned[model],  # type: ignore[valid-type]
        responses=responses(400, 401, 403, 404, 409, 422, 423, 428, 503),
        operation_id=f"update_{section}")

    def delete_item(store: State, who: Caller,
                    key: Annotated[str, Path(description=key_doc)],
                    if_match: Annotated[str | None, Header(
                        description="Version, die gelöscht werden soll (ETag)")] = None
                    ) -> Response:
        expected = _expected(if_match)
        change_entry(store, who, section, key, None, expected_version=expected)
        return Response(status_code=204)

    router.add_api_route(
        path + one, delete_item, methods=["DELETE"], tags=[tag],
        summary=f"{kind} löschen", status_code=204, response_class=Response,
        description=f"Löscht ein {kind}; solange andere Einträge darauf verweisen, lehnt der "
                    "Server mit 422 ab und nennt sie.",
        responses=responses(401, 403, 404, 409, 422, 423, 428, 503),
        operation_id=f"delete_{section}")

    async def history(snap: Snap, who: Caller,
                      key: Annotated[str, Path(description=key_doc)]) -> Any:
        entries = snap.journal.history(section, key)
        if not entries:
            find(snap.network, section, key)  # 404 for ids that never existed
        return [e.model_dump(mode="json") for e in entries]

    if section == "accepted_findings":
        return
    router.add_api_route(
        path + "/{key}/history", history, methods=["GET"], tags=[tag],
        summary=f"Änderungen an einem {kind}",
        description="Wer hat diesen Eintrag wann geändert, was stand vorher, was danach "
                    "(ältester zuerst). Einträge aus einem Import stehen im Protokoll "
                    "unter /api/v1/audit.",
        response_model=list[AuditEntry], responses=responses(401, 404, 503),
        operation_id=f"history_{section}")


for _section, _model in ALL_SECTIONS.items():
    _register(_section, _model)


@router.get("/audit", tags=["Protokoll"], summary="Änderungsprotokoll",
            description="Alle Änderungen, neueste zuerst (wer, wann, vorher, nachher).",
            response_model=AuditPage, responses=responses(401, 422, 503))
async def audit(snap: Snap, who: Caller,
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
    entries = snap.journal.entries[::-1]
    return {"items": [e.model_dump(mode="json") for e in entries[offset:offset + limit]],
            "total": len(entries), "offset": offset, "limit": limit}


@router.get("/network", tags=["Netzwerk"], summary="Ganzes Netzwerk exportieren",
            description="Das Netzwerk im dokumentierten Format (docs/format.md) als JSON.",
            response_model=dict[str, Any], responses=responses(401, 503))
async def export_network(snap: Snap, who: Caller) -> Any:
    # the ETag is the content version (the last recorded change), nothing of the file
    return JSONResponse(to_data(snap.network), headers={"ETag": _etag(snap.version)})


@router.put("/network", tags=["Netzwerk"], summary="Ganzes Netzwerk importieren",
            description="Ersetzt das Netzwerk durch ein Dokument im dokumentierten Format – "
                        "alles oder nichts: bei einem Fehler bleibt der alte Stand, und die "
                        "Antwort nennt jedes Problem. Nur für die Koordination. If-Match mit "
                        "dem ETag des letzten GET /api/v1/network ist Pflicht (428 ohne, 409 "
                        "wenn inzwischen jemand geändert hat).",
            response_model=AuditEntry,
            responses=responses(400, 401, 403, 409, 413, 415, 422, 423, 428, 503))
def import_network(store: State, who: Caller, response: Response,
                   document: Annotated[dict[str, Any], Body(
                       description="Netzwerk-Dokument (format, schema_version, name, …)",
                       examples=[{"format": "lotsensystem-netzwerk", "schema_version": 1,
                                  "name": "Meine Kette"}])],
                   if_match: Annotated[str | None, Header(
                       description="Version des Netzwerks, auf der der Import beruht (ETag "
                                   "von GET /api/v1/network), z. B. \"12\"; '*' ersetzt "
                                   "ohne Prüfung", examples=['"1"'])] = None) -> Any:
    who.require_coordinator("Ein ganzes Netzwerk importieren")
    expected = _expected(if_match)
    with time_budget(BODY_SECONDS, _SLOW):
        network = read_body(document)
    entry = take_over(store, who, network, expected_version=expected).entry
    response.headers["ETag"] = _etag(entry.seq)
    return entry.model_dump(mode="json")
