"""„Wirkung nach einem Jahr“ in the Werkstatt: for every measure and new link of a quarter
the year before against the year after (``/quartiere/{q}/wirkung``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.pages.common import kept, page, quarter_view
from visualisation.wirkung_text import effect_items

__all__ = ["router"]

router = APIRouter()


@router.get("/quartiere/{quarter}/wirkung", include_in_schema=False)
async def wirkung_page(request: Request, quarter: str) -> Response:
    who, snap, net, day, q = quarter_view(request, quarter)
    answers = kept(snap, "werkstatt-wirkung", keep=50)
    if (q.id, day) not in answers:
        answers[(q.id, day)] = effect_items(net, q.id, day)
    return page(request, "wirkung.html", who, f"Wirkung nach einem Jahr: {q.name}", as_of=day,
                quarter_id=q.id, quarter_name=q.name, effects=answers[(q.id, day)])
