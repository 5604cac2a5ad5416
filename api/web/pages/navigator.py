"""Der Lotse (``/lotse``): for a family in a quarter – the child's age, language, needs and
current offer – the next suitable offers with the hand-off path and the owner of each
step (:func:`lotsen.navigator.next_services`, what ``lotse next`` answers). A GET form:
it works without JavaScript, every reader may ask, and nothing about the family is
stored (the answer is kept per stored state like every other answer)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.web.pages.common import as_of, kept, page, person, snapshot
from lotsen.navigator import age_words, next_services
from lotsen.texts import LANGUAGE_NAMES
from visualisation.choices import quarter_options
from visualisation.navigator_form import (
    UNITS,
    age_label,
    language_options,
    read_question,
    running_offers,
    suggestion_rows,
)

__all__ = ["router"]

router = APIRouter()

LABELS = {"quartier": "Quartier der Familie", "alter": "Alter des Kindes",
          "sprache": "Sprache der Familie", "bedarf": "Bedarf", "angebot": "Angebot"}


@router.get("/lotse", include_in_schema=False)
async def navigator_page(request: Request) -> Response:
    who = person(request)
    snap = snapshot(request)
    net, day = snap.network, as_of(request)
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    asked = "einheit" in params  # the form was sent (a link may only name the quarter)
    values, errors, question = read_question(net, params, day)
    if not asked:
        errors = {k: v for k, v in errors.items() if k == "quartier" and values["quartier"]}
    answer = rows = None
    if asked and question is not None:
        answers = kept(snap, "werkstatt-lotse", keep=100)
        key = (question, day)
        if key not in answers:
            answers[key] = await run_in_threadpool(
                next_services, net, question.quarter, question.age_months, question.language,
                question.needs, question.current, day)
        answer = answers[key]
        rows = suggestion_rows(answer)
    quarter = net.quarter_index.get(values["quartier"])
    names = net.catalogue.field_names
    return page(
        request, "navigator.html", who, "Der Lotse", nav="fragen", as_of=day,
        status=422 if errors else 200, errors=errors, labels=LABELS, values=values,
        stichtag=request.query_params.get("stichtag", ""), quarters=quarter_options(net),
        units=UNITS, languages=language_options(),
        fields=[(f.id, f.name) for f in net.catalogue.fields],
        offers=running_offers(net, quarter.id, day) if quarter is not None else None,
        answer=answer, suggestions=rows,
        quarter_id=quarter.id if quarter else "", quarter_name=quarter.name if quarter else "",
        age_text=age_words(question.age_months) if question else "",
        age_label=age_label(question.age_months) if question else "",
        language_name=LANGUAGE_NAMES.get(question.language or "", "") if question else "",
        need_names=", ".join(names[n] for n in question.needs) if question else "",
        current_name=net.service_index[question.current].name
        if question and question.current else "")
