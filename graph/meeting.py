"""Sitzungen: the meetings of a Steuerungsgruppe (or of a quarter's network) – who met
(organisations as roles, never persons), for which area, on which day, what was on the
agenda and what was decided.

A meeting's area is a quarter, a Stadtbezirk or a Kommune (by id) or a Kreis or Land (by
name), as :func:`graph.hierarchy.quarters_in` reads it. Measures and acceptances decided
in a meeting name it (``Measure.meeting``, ``AcceptedFinding.meeting``): the minutes list
them from there, so a decision is one change, never two.

>>> m = Meeting(id="sg-boenen-2026-12", body="Steuerungsgruppe Bönen", area="boenen",
...             date="09.12.2026", attending=["awo-unna"], roles=["Jugendamt"],
...             agenda=[AgendaItem(kind="finding", title="Übergang ohne Vereinbarung",
...                                ref="NO_AGREEMENT/kita-grundschule")])
>>> m.date.isoformat(), m.agenda[0].kind.label
('2026-12-09', 'Befund')
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from graph.values import (
    UNIQUE_SCHEMA,
    Date,
    Id,
    LongText,
    Ref,
    ShortText,
    Text,
    UniqueRefs,
    labelled,
    unique,
)
from graph.vocabulary import ENUM_LABELS

__all__ = ["AgendaItem", "AgendaKind", "Decision", "Meeting"]


class AgendaKind(StrEnum):
    """What an agenda item is about."""

    FINDING = "finding"
    MEASURE = "measure"
    AGREEMENT = "agreement"
    SINCE = "since"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ENUM_LABELS["AgendaKind"][self.value]


class AgendaItem(BaseModel):
    """One point of the agenda: a finding (``ref``: its key), a measure or an agreement
    (``ref``: its id), the changes since the last meeting, or anything else."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: Annotated[AgendaKind, labelled(AgendaKind)] = AgendaKind.OTHER
    title: Text
    ref: ShortText | None = None
    quarter: Ref | None = None
    note: LongText | None = None  # what was said about it (the minutes)


class Decision(BaseModel):
    """A decision of the meeting in words (measures and acceptances decided there name
    the meeting themselves)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    text: LongText = Field(min_length=1)


class Meeting(BaseModel):
    """A Sitzung (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: Id
    body: Text  # the body that meets, e.g. "Steuerungsgruppe Bönen"
    area: Text  # a quarter, district or municipality id, or a Kreis or Land name
    date: Date
    attending: UniqueRefs = Field(default_factory=list, max_length=500)  # providers
    roles: Annotated[list[Text], Field(max_length=100), AfterValidator(unique),
                     UNIQUE_SCHEMA] = Field(default_factory=list)  # other organisations
    agenda: Annotated[list[AgendaItem], Field(max_length=200)] = Field(default_factory=list)
    decisions: Annotated[list[Decision], Field(max_length=200)] = Field(default_factory=list)
    note: LongText | None = None
