"""Familienwegweiser in the Werkstatt: the printable guide of a quarter in one language
(``/quartiere/{q}/wegweiser?sprache=ar``), as a download; the browser prints it as PDF."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.web.pages.common import PAGE_HEADERS, as_of, person, snapshot
from lotsen.wegweiser import guide
from visualisation.wegweiser import parse_languages, wegweiser_html

__all__ = ["router"]

router = APIRouter()


@router.get("/quartiere/{quarter}/wegweiser", include_in_schema=False)
async def wegweiser_page(request: Request, quarter: str) -> Response:
    person(request)
    net = snapshot(request).network
    q = net.find_quarter(quarter)
    language = parse_languages(request.query_params.get("sprache") or "de")[0]
    page = wegweiser_html(guide(net, q.id, as_of(request)), language)
    name = quote(f"wegweiser-{q.id}-{language}.html")
    headers = {**PAGE_HEADERS, "Content-Disposition": f"inline; filename*=UTF-8''{name}"}
    return HTMLResponse(page, headers=headers)
