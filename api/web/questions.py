"""The questions a coordinator asks, over HTTP: findings, indicators, roll-up,
comparison, what-if, owner, navigator – and the map, matrix and report of a quarter.

Handlers that only compute on the network in memory are ``async`` (no thread pool);
drawing pictures (matplotlib) runs in the thread pool.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.web.deps import Ask, AsOf, Caller, Snap
from api.web.errors import InvalidParameterError, responses
from api.web.fast import owner_body
from lotsen.acceptance import Triage
from lotsen.check import sort_findings
from lotsen.compare import compare
from lotsen.findings import Finding
from lotsen.impact import impact
from lotsen.indicators import quarter_indicators, rollup
from lotsen.navigator import next_services
from lotsen.open_findings import quarter_triage
from lotsen.ownership import find_transition
from lotsen.priority import top_findings

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")
_ERR = responses(401, 404, 422, 503)


class AcceptedOut(BaseModel):
    """Why a finding is hidden from the open findings: checked and kept on purpose."""

    reason: str = Field(examples=["Kampagne, kein Übergang nötig"])
    by: str = Field(description="Rolle, die es so entschieden hat", examples=["Koordination"])
    on: str = Field(description="Tag der Entscheidung (JJJJ-MM-TT)")
    until: str | None = Field(description="gilt bis einschließlich (JJJJ-MM-TT); null: ohne Ende")


class FindingOut(BaseModel):
    code: str = Field(examples=["NO_AGREEMENT"])
    severity: str = Field(description="critical, high, medium oder low")
    severity_label: str = Field(examples=["hoch"])
    title: str
    ids: list[str]
    quarters: list[str]
    message: str
    next_step: str
    key: str | None = Field(default=None, description="Stabiler Schlüssel (CODE/kennung/…), "
                                                      "z. B. für Maßnahmen und 'geprüft'")
    families: int | None = Field(default=None, description="Geschätzte betroffene Familien "
                                                           "im Jahr (null: unbekannt)")
    rank: int | None = Field(default=None, description="Rang (1 = am wichtigsten)")
    accepted: AcceptedOut | None = Field(
        default=None, description="„geprüft, bewusst so“ am Stichtag: die Werkstatt, Karte, "
        "Folien und Bericht blenden ihn aus; null: offen (auch wenn die Markierung "
        "abgelaufen ist)")


class OwnerOut(BaseModel):
    transition: str
    source: str
    target: str
    source_name: str
    target_name: str
    kind: str
    owner: str | None = Field(description="Kennung des verantwortlichen Trägers; null: niemand")
    owner_name: str | None
    agreements: list[str]
    agreement_names: list[str]
    status: str = Field(description="Zustand der Absicherung am Stichtag", examples=["gültig"])
    valid_until: str | None
    owner_signed: bool


def _findings(items: list[Finding]) -> list[dict[str, Any]]:
    return [f.to_dict() | {"accepted": None} for f in items]


def _marked(sorted_out: Triage) -> list[dict[str, Any]]:
    """Every finding of a triage in the order of the check, the accepted ones marked."""
    why = {f.stable_key: a for f, a in sorted_out.accepted}
    everything = sort_findings([*sorted_out.open, *(f for f, _ in sorted_out.accepted)])
    out = []
    for f in everything:
        a = why.get(f.stable_key)
        out.append(f.to_dict() | {"accepted": None if a is None else {
            "reason": a.reason, "by": a.by, "on": a.on.isoformat(),
            "until": a.until.isoformat() if a.until else None}})
    return out


@router.get("/quarters/{quarter}/findings", tags=["Fragen"], summary="Befunde eines Quartiers",
            description="Lücken, brüchige Übergänge, auslaufende Vereinbarungen … am Stichtag, "
                        "nach Schwere sortiert, jeweils mit nächstem Schritt. Als „geprüft, "
                        "bewusst so“ markierte stehen mit `accepted` (Grund, wer, wann, bis) "
                        "darin; die offenen (`accepted` null) sind die Liste der Werkstatt.",
            response_model=list[FindingOut], responses=_ERR)
async def findings(ask: Ask, quarter: str) -> Any:
    net = ask.snap.network
    q = net.find_quarter(quarter)
    # the answer depends only on the stored state, the quarter and the date: keep its
    # encoded form for the snapshot (a dashboard asks the same again and again)
    body = ask.snap.json_answer("findings", (q.id, ask.as_of), lambda: _marked(
        quarter_triage(net, q.id, ask.as_of)), keep=10_000)
    return Response(body, media_type="application/json")


@router.get("/quarters/{quarter}/worksites", tags=["Fragen"],
            summary="Die wichtigsten Baustellen eines Quartiers",
            description="Die n wichtigsten offenen Befunde (ohne die als „geprüft, bewusst so“ "
                        "markierten), nach geschätzten betroffenen Familien im Jahr und "
                        "Schwere gereiht.", response_model=list[FindingOut], responses=_ERR)
async def worksites(ask: Ask, quarter: str,
                    n: Annotated[int, Query(ge=1, le=50, description="Wie viele")] = 5) -> Any:
    net = ask.snap.network
    q = net.find_quarter(quarter)
    found = quarter_triage(net, q.id, ask.as_of).open
    return _findings(top_findings(net, ask.as_of, n=n, findings=found))


@router.get("/quarters/{quarter}/indicators", tags=["Fragen"],
            summary="Kennzahlen eines Quartiers", response_model=dict[str, Any],
            description="Abdeckung der Lebensphasen, verbindliche Übergänge, Kontinuität, "
                        "Bildungsperlen, Verluste, Kapazität je 100 Kinder.", responses=_ERR)
async def indicators(snap: Snap, who: Caller, quarter: str, as_of: AsOf) -> Any:
    return quarter_indicators(snap.network, quarter, as_of).to_dict()


# the roll-up, compare and impact take tens of milliseconds on a city network: they run
# in the thread pool, so a quarter's findings asked meanwhile are not queued behind them
@router.get("/rollup", tags=["Fragen"],
            summary="Kennzahlen je Stadtbezirk, Kommune, Kreis oder Land",
            response_model=list[dict[str, Any]], responses=_ERR)
def rollup_endpoint(snap: Snap, who: Caller, as_of: AsOf,
                          level: Annotated[Literal["district", "municipality", "county",
                                                   "state"], Query(
                              description="district (Stadtbezirk), municipality "
                                          "(Kommune), county (Kreis) oder state (Land); "
                                          "fehlt eine Ebene, steht die nächstkleinere "
                                          "Einheit für sie")] = "district") -> Any:
    return [x.to_dict() for x in rollup(snap.network, level, as_of)]


@router.get("/compare", tags=["Fragen"], summary="Zwei Quartiere vergleichen",
            description="Welche Glieder der Kette hat das eine Quartier, das andere nicht "
                        "(Transferbörse)?", response_model=dict[str, Any], responses=_ERR)
def compare_endpoint(snap: Snap, who: Caller, as_of: AsOf,
                           first: Annotated[str, Query(description="Quartier A")],
                           second: Annotated[str, Query(description="Quartier B")]) -> Any:
    return jsonable_encoder(dataclasses.asdict(compare(snap.network, first, second, as_of)))


@router.get("/impact", tags=["Fragen"], summary="Was wäre, wenn …?",
            description="Ein Träger steigt aus oder ein Angebot endet: welche Befunde kämen "
                        "hinzu, welche fielen weg?", response_model=dict[str, Any],
            responses=_ERR)
def impact_endpoint(snap: Snap, who: Caller, as_of: AsOf,
                          provider: Annotated[str | None, Query()] = None,
                          service: Annotated[str | None, Query()] = None) -> Any:
    if (provider is None) == (service is None):
        raise InvalidParameterError("provider", "Bitte genau eins nennen: provider (Träger) "
                                                "oder service (Angebot).")
    result = impact(snap.network, provider=provider, service=service, as_of=as_of)
    return {"removed_services": list(result.removed_services),
            "removed_provider": result.removed_provider,
            "appeared": _findings(result.appeared), "resolved": _findings(result.resolved)}


@router.get("/transitions/{transition}/owner", tags=["Fragen"],
            summary="Wer ist für diesen Übergang verantwortlich?", response_model=OwnerOut,
            responses=_ERR)
async def owner(ask: Ask, transition: str) -> Any:
    return Response(owner_body(ask.snap, transition, ask.as_of), media_type="application/json")


@router.get("/owner", tags=["Fragen"], summary="Verantwortung nach den Namen der Angebote",
            description="Der Übergang von einem Angebot zum anderen (Name oder Kennung), "
                        "optional in einem Quartier.", response_model=OwnerOut, responses=_ERR)
async def owner_by_names(snap: Snap, who: Caller, as_of: AsOf,
                         source: Annotated[str, Query(alias="from", description="Von Angebot")],
                         target: Annotated[str, Query(alias="to", description="Zu Angebot")],
                         quarter: Annotated[str | None, Query()] = None) -> Any:
    t = find_transition(snap.network, source, target, quarter, as_of)
    return Response(owner_body(snap, t.id, as_of), media_type="application/json")


@router.get("/quarters/{quarter}/next", tags=["Fragen"], summary="Der Lotse: was kommt als "
            "Nächstes für diese Familie?", response_model=dict[str, Any], responses=_ERR,
            description="Passende Angebote der aktuellen und nächsten Lebensphase mit dem Weg "
                        "dorthin und wer übergibt. Die Familie erscheint nur als Profil (Alter, "
                        "Sprache, Bedarf) – keine personenbezogenen Daten.")
async def navigator(snap: Snap, who: Caller, quarter: str, as_of: AsOf,
                    age_months: Annotated[int, Query(ge=-9, le=240, description="Alter des "
                                                     "Kindes in Monaten (vor Geburt negativ)")],
                    language: Annotated[str | None, Query(examples=["ar"])] = None,
                    need: Annotated[list[str] | None, Query(description="Handlungsfelder")
                                    ] = None,
                    current: Annotated[str | None, Query(description="Angebot, in dem die "
                                                         "Familie gerade ist")] = None) -> Any:
    answer = next_services(snap.network, quarter, age_months, language, need or (), current,
                           as_of)
    data = jsonable_encoder(dataclasses.asdict(answer))
    data["finding"] = answer.finding.to_dict() if answer.finding else None
    return data


_PICTURE = {"html": "text/html; charset=utf-8", "png": "image/png", "svg": "image/svg+xml",
            "pdf": "application/pdf"}
_PICTURE_DOC = {200: {"content": {m.split(";")[0]: {} for m in _PICTURE.values()},
                      "description": "Die Darstellung"}, **responses(401, 404, 422, 503)}


_REPORT_DOC = {200: {"content": {"text/html": {}}, "description": "Der Bericht"},
               **responses(401, 404, 422, 503)}


def _picture(data: bytes | str, fmt: str) -> Response:
    return Response(data, media_type=_PICTURE[fmt])


@router.get("/quarters/{quarter}/map", tags=["Darstellung"], summary="Kettenkarte",
            description="Die Kettenkarte als HTML (offline, interaktiv) oder als Bild.",
            response_class=Response, responses=_PICTURE_DOC)
def chain_map(snap: Snap, who: Caller, quarter: str, as_of: AsOf,
              format: Annotated[Literal["html", "png", "svg", "pdf"], Query()] = "html",
              meeting: bool = False, focus: str | None = None,
              hops: Annotated[int, Query(ge=0, le=20)] = 1) -> Response:
    from visualisation.html_map import map_html
    from visualisation.scene import quarter_scene

    scene = quarter_scene(snap.network, quarter, as_of, focus=focus, hops=hops)
    if format == "html":
        return _picture(map_html(scene, meeting), format)
    from visualisation.static import scene_image

    return _picture(scene_image(scene, format, meeting), format)


@router.get("/quarters/{quarter}/matrix", tags=["Darstellung"],
            summary="Matrix Lebensphasen × Handlungsfelder", response_class=Response,
            responses=_PICTURE_DOC)
def matrix(snap: Snap, who: Caller, quarter: str, as_of: AsOf,
           format: Annotated[Literal["html", "png", "svg", "pdf"], Query()] = "html"
           ) -> Response:
    from visualisation.matrix import matrix_image, stage_field_matrix
    from visualisation.report import matrix_html

    m = stage_field_matrix(snap.network, quarter, as_of)
    return _picture(matrix_html(m) if format == "html" else matrix_image(m, format), format)


@router.get("/quarters/{quarter}/report", tags=["Darstellung"], summary="Quartiersbericht",
            description="Kennzahlen, Befunde, Karte und Matrix auf einer druckbaren Seite.",
            response_class=Response, responses=_REPORT_DOC)
def report(snap: Snap, who: Caller, quarter: str, as_of: AsOf) -> Response:
    from visualisation.report import quarter_report

    return _picture(quarter_report(snap.network, quarter, as_of), "html")
