"""Kennzahlen je Jahr: a quarter's indicators on 31 December of each year, as a trend
table (``/quartiere/{q}/jahre?jahre=2024..2026``; default the last five years)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from api.web.pages.common import kept, page, quarter_view
from lotsen.years import parse_years, provenance, stichtag, yearly
from visualisation.trend import trend_rows, trend_svg

__all__ = ["router"]

router = APIRouter()


@router.get("/quartiere/{quarter}/jahre", include_in_schema=False)
def years_page(request: Request, quarter: str) -> Response:
    # in the thread pool: past years rebuild the chain as recorded then (its own index)
    who, snap, net, day, q = quarter_view(request, quarter)
    text = request.query_params.get("jahre") or f"{day.year - 4}..{day.year}"
    years = parse_years(text)  # a YearsError becomes a German error page (422)
    # kept per stored state, quarter and year's Stichtag – not per as-of date: a past or
    # future year's row is the same for every as-of date of another year, so a flood of
    # dates computes at most one new row each, and the journal is walked once per page
    answers = kept(snap, "werkstatt-jahre", keep=200)
    missing = [y for y in years if (q.id, y, stichtag(y, day)) not in answers]
    if missing:
        for row in yearly(net, missing, "quarter", [q.id], day, journal=snap.journal):
            answers[(q.id, row.year, row.day)] = row
    rows = [answers[(q.id, y, stichtag(y, day))] for y in years]
    return page(request, "years.html", who, f"Kennzahlen je Jahr: {q.name}", as_of=day,
                quarter_id=q.id, quarter_name=q.name, years=years, jahre=text,
                days=[f"{r.day:%d.%m.%Y}" for r in rows], trend=trend_rows(rows),
                provenance=provenance(rows),
                chart=Markup(trend_svg(rows)))  # our own matplotlib SVG, no user text
