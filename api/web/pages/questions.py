"""Fragen an die Kette: the Transferbörse (``/transferboerse``: two quarters, also in two
communes, with Gelingensfaktoren and Stolpersteine; the links per quarter, Stadtbezirk,
Kommune or Kreis side by side), Kennzahlen je Jahr of any area (``/jahre``) and „Was
wäre, wenn ein Träger aussteigt?“ (``/was-waere-wenn``), with ``/fragen`` leading to them
and to the Lotse. GET forms (they work without JavaScript, every reader may ask); the
answers are those of :mod:`lotsen.transfer`, :mod:`lotsen.compare`, :mod:`lotsen.years`
and :mod:`lotsen.impact`, kept per stored state.

The handlers are plain functions: FastAPI runs them in the thread pool, so a long
analysis (a past year rebuilt from the journal) does not block the event loop."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from api.web.pages.common import as_of, kept, page, person, snapshot
from graph.hierarchy import LEVEL_NAMES, LEVELS, areas
from lotsen.compare import area_link_matrix, area_names, link_matrix
from lotsen.impact import impact
from lotsen.transfer import transfer
from lotsen.years import provenance, yearly
from visualisation.choices import (
    area_options,
    area_value,
    provider_options,
    quarter_options,
    service_options,
)
from visualisation.impact_view import impact_view
from visualisation.question_forms import (
    MATRIX_LEVELS,
    level_options,
    read_impact,
    read_matrix,
    read_pair,
    read_years,
)
from visualisation.transfer_view import MARKS, bound_offers, matrix_view, pair_view
from visualisation.trend import trend_rows, trend_svg

__all__ = ["router"]

router = APIRouter()

TRANSFER_LABELS = {"erstes": "Erstes Quartier", "zweites": "Zweites Quartier",
                   "ebene": "Ebene", "gebiet": "Gebiet"}
YEARS_LABELS = {"gebiet": "Gebiet", "jahre": "Jahre"}
IMPACT_LABELS = {"traeger": "Träger", "angebot": "Angebot"}


def _params(request: Request) -> dict[str, list[str]]:
    return {k: request.query_params.getlist(k) for k in request.query_params}


@router.get("/fragen", include_in_schema=False)
def questions_page(request: Request) -> Response:
    who = person(request)
    net = snapshot(request).network
    return page(request, "questions.html", who, "Fragen an die Kette", nav="fragen",
                stichtag=request.query_params.get("stichtag", ""),
                quarters=quarter_options(net))


@router.get("/transferboerse", include_in_schema=False)
def transfer_page(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net, day = snap.network, as_of(request)
    params = _params(request)
    asked_pair = "zweites" in params  # a link may name only the first quarter
    asked_matrix = "ebene" in params
    pair_values, pair_errors, pair = read_pair(net, params)
    matrix_values, matrix_errors, matrix = read_matrix(net, params)
    if not asked_pair:
        pair_errors, pair = {}, None
    if not asked_matrix:
        matrix_errors, matrix = {}, None
    answers = kept(snap, "werkstatt-transfer", keep=50)
    pair_answer = matrix_answer = None
    if pair is not None:
        key = ("paar", pair, day)
        if key not in answers:
            answers[key] = pair_view(transfer(net, pair.first, net, pair.second, day))
        pair_answer = answers[key]
    if matrix is not None:
        mkey = ("matrix", matrix, day)
        if mkey not in answers:
            answers[mkey] = _matrix(net, matrix.level, matrix.quarters, day)
        matrix_answer = answers[mkey]
    errors = {**pair_errors, **matrix_errors}
    return page(
        request, "transfer.html", who, "Transferbörse", nav="fragen", as_of=day,
        status=422 if errors else 200, errors=errors, labels=TRANSFER_LABELS,
        pair_errors=pair_errors, matrix_errors=matrix_errors,
        stichtag=request.query_params.get("stichtag", ""), quarters=quarter_options(net),
        levels=level_options(MATRIX_LEVELS),
        areas=area_options(net, ("state", "county", "municipality", "district")),
        pair_values=pair_values, matrix_values=matrix_values, pair=pair_answer,
        matrix=matrix_answer, marks=MARKS,
        level_name=LEVEL_NAMES[matrix.level] if matrix else "",
        area_name=matrix.area if matrix else "")


def _matrix(net: Any, level: str, quarters: tuple[str, ...] | None, day: Any
            ) -> dict[str, Any]:
    """The links per area of ``level`` (of ``quarters``, or all) with what the areas that
    have a link bound can pass on."""
    wanted = list(quarters) if quarters else [q.id for q in net.quarters]
    if level == "quarter":
        links = link_matrix(net, wanted, day)
        columns = {q: q for q in wanted}
        heads = {q: net.quarter_index[q].name for q in wanted}
    else:
        links = area_link_matrix(net, level, day, wanted)
        names = area_names(net, level)
        columns = {q: names[q] for q in wanted}
        heads = {}
    return matrix_view(links, list(dict.fromkeys(columns.values())), heads,
                       bound_offers(net, columns, day))


@router.get("/jahre", include_in_schema=False)
def years_page(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net, day = snap.network, as_of(request)
    params = _params(request)
    values, errors, question = read_years(net, params, day.year)
    if "gebiet" not in params and "jahre" not in params:
        errors = {}  # the empty form
    answer: dict[str, Any] | None = None
    if question is not None:
        answers = kept(snap, "werkstatt-jahre-gebiet", keep=20)
        key = (question, day)
        if key not in answers:
            rows = yearly(net, list(question.years), question.level,
                          list(question.quarters), day, journal=snap.journal)
            answers[key] = {"years": list(question.years), "trend": trend_rows(rows),
                            "days": [f"{r.day:%d.%m.%Y}" for r in rows],
                            "provenance": provenance(rows),
                            "chart": Markup(trend_svg(rows))}  # our own SVG
        answer = answers[key]
    inside: list[tuple[str, str, str]] = []
    if question is not None:
        mine, rank = set(question.quarters), LEVELS.index(question.level)
        inside = [(area_value(a), a.name, LEVEL_NAMES[a.level])
                  for a, qs in areas(net).items()
                  if set(qs) <= mine and LEVELS.index(a.level) < rank]
    return page(
        request, "area_years.html", who,
        f"Kennzahlen je Jahr: {question.area_name}" if question else "Kennzahlen je Jahr",
        nav="fragen", as_of=day, status=422 if errors else 200, errors=errors,
        labels=YEARS_LABELS, values=values, stichtag=request.query_params.get("stichtag", ""),
        areas=area_options(net), question=question, answer=answer, inside=inside,
        level_name=LEVEL_NAMES[question.level] if question else "")


@router.get("/was-waere-wenn", include_in_schema=False)
def impact_page(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net, day = snap.network, as_of(request)
    params = _params(request)
    values, errors, question = read_impact(net, params)
    if "traeger" not in params and "angebot" not in params:
        errors = {}
    view = None
    if question is not None:
        answers = kept(snap, "werkstatt-was-waere-wenn", keep=50)
        key = (question, day)
        if key not in answers:
            answers[key] = impact_view(net, impact(net, question.provider, question.service,
                                                   day))
        view = answers[key]
    return page(
        request, "impact.html", who, "Was wäre, wenn ein Träger aussteigt?", nav="fragen",
        as_of=day, status=422 if errors else 200, errors=errors, labels=IMPACT_LABELS,
        values=values, stichtag=request.query_params.get("stichtag", ""),
        providers=provider_options(net), services=service_options(net), view=view)
