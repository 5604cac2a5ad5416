"""The Werkstatt form for a cooperation assessment of a transition: level 1–5, the day,
the assessing role (never a person's name), a note – with German labels and messages at
the field. A new assessment is added to the transition's list; earlier ones stay (the
trend and the finding ``COOPERATION_FALLING`` need them).

>>> import datetime as dt
>>> day = dt.date(2026, 11, 22)
>>> assessment_from_form({"level": "3", "on": "1.3.26", "by": "Netzwerkkoordination"}, day)
({'level': 3, 'on': '2026-03-01', 'by': 'Netzwerkkoordination'}, {})
>>> errors = assessment_from_form({"level": "", "on": "31.02.2026", "by": ""}, day)[1]
>>> errors["level"]
'Bitte eine Stufe von 1 bis 5 wählen.'
>>> errors["on"][:40], errors["by"][:40]
('Den 31.02.2026 gibt es nicht, oder das D', 'Bitte die Rolle angeben, die eingeschätz')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from graph.cooperation import LEVELS, CooperationAssessment
from graph.formats.pydantic_problems import german_message
from graph.network import Network
from visualisation.forms import FieldSpec, FormSpec, form_data

__all__ = ["COOPERATION_FORM", "assessment_from_form", "assessment_rows"]


def _levels(net: Network) -> list[tuple[str, str]]:
    return [(str(n), f"{n} – {lv.name}") for n, lv in LEVELS.items()]


COOPERATION_FORM = FormSpec("cooperation", "Kooperationsqualität", (
    FieldSpec("level", "Stufe der Zusammenarbeit", "select", required=True, options=_levels,
              hint="1 Nebeneinander … 5 Gemeinsam gestaltet; was die Stufen bedeuten, steht "
                   "in der Tabelle unten."),
    FieldSpec("on", "Eingeschätzt am", "date", required=True,
              hint="Datum als TT.MM.JJJJ, z. B. 18.06.2026."),
    FieldSpec("by", "Wer hat eingeschätzt?", required=True,
              hint="Eine Rolle, kein Name, z. B. „Netzwerkkoordination“ oder „Leitung Kita und "
                   "Schulleitung gemeinsam“."),
    FieldSpec("note", "Bemerkung", "textarea",
              hint="Z. B. was sich verändert hat. Keine Angaben zu Familien."),
))
"""The questions of the form (the template is the edit form's field macro)."""

_MISSING = {"level": "Bitte eine Stufe von 1 bis 5 wählen.",
            "on": "Bitte das Datum der Einschätzung angeben (TT.MM.JJJJ).",
            "by": "Bitte die Rolle angeben, die eingeschätzt hat, z. B. „Netzwerkkoordination“ "
                  "– keinen Namen."}


def assessment_from_form(form: Mapping[str, Any], today: dt.date
                         ) -> tuple[dict[str, Any], dict[str, str]]:
    """The assessment of a posted form as JSON data, and German errors by field name
    (empty when it is valid). A date after ``today`` is an error: an assessment is made,
    not planned."""
    data = {k: v for k, v in form_data(COOPERATION_FORM, form).items() if v is not None}
    errors: dict[str, str] = {}
    try:
        made = CooperationAssessment.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else ""
            if err["type"] in ("missing", "string_too_short"):
                message = _MISSING.get(name, german_message(err))
            elif err["type"] == "date_format":
                message = (f"Den {err['input']} gibt es nicht, oder das Datum ist anders "
                           "geschrieben: bitte TT.MM.JJJJ, z. B. 18.06.2026.")
            elif name == "level":
                message = "Die Stufe ist eine Zahl von 1 bis 5."
            else:
                message = german_message(err)
            errors.setdefault(name, message)
        return data, errors
    if made.on > today:
        return data, {"on": f"Der {made.on:%d.%m.%Y} liegt in der Zukunft; eingetragen wird "
                            "eine Einschätzung, die schon stattgefunden hat."}
    return made.model_dump(mode="json", exclude_none=True), {}


def assessment_rows(assessments: list[CooperationAssessment]) -> list[dict[str, str]]:
    """The assessments of a transition, newest first, as German cells."""
    return [{"on": f"{a.on:%d.%m.%Y}", "level": f"{a.level} – {LEVELS[a.level].name}",
             "by": a.by, "note": a.note or ""}
            for a in sorted(assessments, key=lambda a: a.on, reverse=True)]
