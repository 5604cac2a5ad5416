"""What a transition carries beyond its backing: cooperation quality, data protection.

* **Kooperationsqualität** – Region Hannover judges the cooperation of two institutions
  on five levels by how well they know each other's offers, how binding the cooperation
  is and how regular their exchange is (see ``docs/cooperation.md`` for the source and
  which wording is ours). A transition keeps every assessment (level 1–5, date, the
  assessing role – never a name), so that the trend shows.
* **Datenschutz** – what passes at the hand-over (nothing, a contact, documents) and on
  what legal basis (written consent, Schweigepflichtentbindung, § 4 KKG, § 8a SGB VIII).

All fields are optional: files without them load unchanged.

>>> q = [CooperationAssessment(level=3, on="2025-03-01", by="Netzwerkkoordination"),
...      CooperationAssessment(level=2, on="01.03.2026", by="Netzwerkkoordination")]
>>> [a.level for a in history(q)], latest(q, dt.date(2025, 12, 31)).level
([3, 2], 3)
>>> LEVELS[2].name
'Abgestimmt'
>>> DataProtection(passes="documents", basis=["written_consent"]).has_basis
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from graph.values import UNIQUE_SCHEMA, Date, LongText, Text, labelled, unique

__all__ = ["LEVELS", "CooperationAssessment", "CooperationLevel", "DataProtection",
           "DataTransfer", "LegalBasis", "history", "latest"]


@dataclass(frozen=True)
class CooperationLevel:
    """One of the five levels: number, short name and what it means on the three
    dimensions (knowing the offers, binding, regular exchange)."""

    level: int
    name: str
    knowledge: str
    binding: str
    exchange: str


LEVELS: dict[int, CooperationLevel] = {lv.level: lv for lv in (
    CooperationLevel(1, "Nebeneinander", "Man weiß kaum, was die andere Einrichtung anbietet.",
                     "Keine Absprachen.", "Kein Austausch."),
    CooperationLevel(2, "Abgestimmt", "Man kennt die Angebote der anderen in Grundzügen.",
                     "Einzelne mündliche Absprachen.", "Austausch bei Gelegenheit."),
    CooperationLevel(3, "Vernetzt", "Man kennt die Angebote und die Ansprechrollen.",
                     "Absprachen zu Verweisen, teils schriftlich.",
                     "Austausch bei Bedarf im Einzelfall und im Netzwerk."),
    CooperationLevel(4, "Verbindlich", "Man kennt Angebote, Zugänge und Arbeitsweisen gut.",
                     "Schriftliche Vereinbarung zum Übergang.",
                     "Regelmäßiger, verabredeter Austausch."),
    CooperationLevel(5, "Gemeinsam gestaltet",
                     "Man kennt sich genau und entwickelt Angebote gemeinsam weiter.",
                     "Vereinbarung mit gemeinsamen Zielen, die überprüft werden.",
                     "Fester Turnus mit gemeinsamer Auswertung."),
)}
"""The five levels (names and wording are our own, see ``docs/cooperation.md``)."""


class CooperationAssessment(BaseModel):
    """One assessment of a transition's cooperation quality: level 1–5 on a date, by a
    role (e.g. „Netzwerkkoordination“, never a person's name)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    level: Annotated[int, Field(ge=1, le=5)]
    on: Date
    by: Text
    note: LongText | None = None


def history(assessments: Iterable[CooperationAssessment],
            as_of: dt.date | None = None) -> list[CooperationAssessment]:
    """The assessments up to ``as_of`` (default: all), oldest first."""
    return sorted((a for a in assessments if as_of is None or a.on <= as_of),
                  key=lambda a: a.on)


def latest(assessments: Iterable[CooperationAssessment],
           as_of: dt.date | None = None) -> CooperationAssessment | None:
    """The newest assessment up to ``as_of`` (None if there is none)."""
    done = history(assessments, as_of)
    return done[-1] if done else None


class DataTransfer(StrEnum):
    """What passes from one institution to the next at the hand-over."""

    NOTHING = "nothing"
    CONTACT = "contact"
    DOCUMENTS = "documents"


class LegalBasis(StrEnum):
    """On what basis information about a family passes."""

    WRITTEN_CONSENT = "written_consent"
    CONFIDENTIALITY_WAIVER = "confidentiality_waiver"  # Schweigepflichtentbindung
    KKG_4 = "kkg_4"
    SGB8_8A = "sgb8_8a"
    OTHER_LAW = "other_law"


class DataProtection(BaseModel):
    """Data protection of a hand-over: what passes and on which bases."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    passes: Annotated[DataTransfer, labelled(DataTransfer)] = DataTransfer.NOTHING
    basis: Annotated[list[Annotated[LegalBasis, labelled(LegalBasis)]],
                     Field(max_length=10), AfterValidator(unique),
                     UNIQUE_SCHEMA] = Field(default_factory=list)
    note: LongText | None = None

    @property
    def has_basis(self) -> bool:
        """Whether what passes has a basis (nothing passing needs none)."""
        return self.passes is DataTransfer.NOTHING or bool(self.basis)
