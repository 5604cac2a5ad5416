"""The entities of a Präventionskette (pydantic v2, immutable).

One class per entity of ``../shared/DOMAIN.md``: municipality, district, quarter
with social data per year, provider, service, transition, agreement and aggregated
referral flows. References between entities are ids (strings); the ``Network``
aggregate in :mod:`graph.network` checks that they resolve.

No personal data of families: people appear only as roles (``contact_role``).

>>> s = Service(id="kita-1", name="Kita Bornstraße", provider="fabido",
...             quarters=["nordstadt"], life_stages=["preschool"], fields=["education"])
>>> s.status.value, s.languages
('active', ['de'])
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from graph.cooperation import CooperationAssessment, DataProtection

__all__ = [
    "AcceptedFinding",
    "Access",
    "Agreement",
    "AgreementKind",
    "AnchorKind",
    "CapacityUnit",
    "Date",
    "District",
    "Entity",
    "Id",
    "Language",
    "Measure",
    "MeasureStatus",
    "Municipality",
    "Provider",
    "ProviderKind",
    "Quarter",
    "Ref",
    "ReferralFlow",
    "Service",
    "ServiceStatus",
    "SocialData",
    "Transition",
    "TransitionKind",
]

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not ID_PATTERN.match(value):
        if not value.strip():
            raise PydanticCustomError("id_empty", "Die Kennung (id) ist leer.")
        raise PydanticCustomError(
            "id_format",
            "Kennung '{value}' ist ungültig: erlaubt sind Buchstaben a–z, Ziffern und "
            "'-', '_', '.', ':' (ohne Leerzeichen, höchstens 100 Zeichen), "
            "z. B. 'kita-bornstrasse'.",
            {"value": value},
        )
    return value


def _parse_date(value: Any) -> Any:
    """Dates as ISO (2025-12-31) or German (31.12.2025); nothing else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _GERMAN_DATE.match(text):
                day, month, year = (int(g) for g in _GERMAN_DATE.match(text).groups())  # type: ignore[union-attr]
                return dt.date(year, month, day)
            if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_format",
        "Datum '{value}' hat das falsche Format oder existiert nicht; erwartet wird "
        "JJJJ-MM-TT (z. B. 2025-12-31) oder TT.MM.JJJJ (z. B. 31.12.2025).",
        {"value": value},
    )


Id = Annotated[str, BeforeValidator(_check_id)]
"""An id: letters, digits and ``- _ . :``; unique across the whole network."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control(value: Any) -> Any:
    """Control characters (NUL, ESC …) break exports (Excel, XML) and are never meant."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise PydanticCustomError(
            "control_character",
            "Der Text enthält ein unsichtbares Steuerzeichen (z. B. aus einer kopierten "
            "Datei); bitte den Text neu eintippen.")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                 AfterValidator(_no_control)]
"""A required text (a name), at most 300 characters; empty is an error."""

LongText = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_control)]
"""A free text (a description), at most 20,000 characters."""

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A reference to an id; the network check says when it does not resolve (and which
id or name was probably meant)."""

Date = Annotated[dt.date, BeforeValidator(_parse_date)]
"""A calendar date, written 2025-12-31 or 31.12.2025."""


def _check_language(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}", value):
        raise PydanticCustomError(
            "language_code",
            "Sprache '{value}' ist kein Sprachcode nach ISO 639 "
            "(zwei oder drei Kleinbuchstaben, z. B. 'de', 'ar', 'tr').",
            {"value": value},
        )
    return value


Language = Annotated[str, AfterValidator(_check_language)]
"""An ISO 639 language code: ``de``, ``ar``, ``tr``, ``bg`` ..."""

Count = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class ProviderKind(StrEnum):
    """What kind of institution a provider is."""

    PUBLIC = "public"
    FREE_WELFARE = "free_welfare"
    CHURCH = "church"
    SCHOOL = "school"
    HEALTH = "health"
    HOUSING = "housing"
    ASSOCIATION = "association"
    VOLUNTEER = "volunteer"
    OTHER = "other"


class AnchorKind(StrEnum):
    """The anchor sites a quarter's network rests on (000, 3.13)."""

    PRIMARY_SCHOOL = "primary_school"
    KITA = "kita"
    FAMILY_OFFICE = "family_office"
    YOUTH_WELFARE_SERVICE = "youth_welfare_service"


class Access(StrEnum):
    """Low-threshold access ("niedrigschwellig")."""

    FREE = "free"
    NO_APPOINTMENT = "no_appointment"
    OUTREACH = "outreach"


class ServiceStatus(StrEnum):
    """Life cycle of a service."""

    PLANNED = "planned"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class CapacityUnit(StrEnum):
    """What a service's capacity counts: places held at once (a Kita) or starts per
    year (welcome visits, courses)."""

    PLACES = "places"
    STARTS_PER_YEAR = "starts_per_year"


class TransitionKind(StrEnum):
    """How a family is handed over from one service to the next."""

    WARM_HANDOFF = "warm_handoff"
    REFERRAL = "referral"
    INFORMATION = "information"


class AgreementKind(StrEnum):
    """What backs a transition."""

    COOPERATION_CONTRACT = "cooperation_contract"
    SGB8_8A = "sgb8_8a"
    KKG_3 = "kkg_3"
    HANDOVER_PROTOCOL = "handover_protocol"
    INFORMAL = "informal"


class Entity(BaseModel):
    """Base of every entity with an id: immutable, unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: Id
    name: Text
    description: LongText | None = None


class Municipality(Entity):
    """A city or municipality (Kommune); ``county`` names its Kreis, if any, and
    ``state`` its Land (both names; see :mod:`graph.hierarchy`)."""

    county: str | None = None
    state: str | None = None


class District(Entity):
    """A Stadtbezirk of a municipality."""

    municipality: Ref


class SocialData(BaseModel):
    """Sozialraumdaten of a quarter for one year; every figure is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: Annotated[int, Field(ge=1900, le=2200)]
    inhabitants: Count | None = None
    births_per_year: Count | None = None
    children_by_stage: dict[Ref, Count] = Field(default_factory=dict)
    children_under_18: Count | None = None
    sgb2_share: Share | None = None
    migrant_share: Share | None = None
    nations: Count | None = None
    main_languages: list[Language] = Field(default_factory=list)
    source: str | None = None


class Quarter(Entity):
    """A Quartier / Sozialraum: the smallest unit, in one district or, where a town has
    no Stadtbezirke (Selm, Lünen), directly in a municipality."""

    district: Ref | None = None
    municipality: Ref | None = None
    social_data: list[SocialData] = Field(default_factory=list)

    def social_data_for(self, year: int) -> SocialData | None:
        """The newest social data of ``year`` or before (None if there is none).

        >>> q = Quarter(id="q", name="Q", district="d",
        ...             social_data=[SocialData(year=2015), SocialData(year=2017)])
        >>> q.social_data_for(2016).year, q.social_data_for(2014)
        (2015, None)
        """
        usable = [s for s in self.social_data if s.year <= year]
        return max(usable, key=lambda s: s.year) if usable else None


class Provider(Entity):
    """A Träger / institution; ``anchor`` marks it as one of the quarter's anchor sites."""

    kind: ProviderKind
    anchor: AnchorKind | None = None

    @property
    def is_anchor_site(self) -> bool:
        return self.anchor is not None


class Service(Entity):
    """An offer (Angebot), run by one provider, in one or more quarters."""

    provider: Ref
    quarters: Annotated[list[Ref], Field(min_length=1)]
    life_stages: Annotated[list[Ref], Field(min_length=1)]
    fields: Annotated[list[Ref], Field(min_length=1)]
    target_groups: list[Text] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=lambda: ["de"])
    access: list[Access] = Field(default_factory=list)
    capacity_per_year: Count | None = None
    # what capacity_per_year counts; None reads as starts per year (the field's name)
    capacity_unit: CapacityUnit | None = None
    language_bridge: bool = False  # a Sprachbrücke: families may arrive without German
    status: ServiceStatus = ServiceStatus.ACTIVE
    valid_from: Date | None = None
    valid_until: Date | None = None
    contact_role: str | None = None
    site: str | None = None  # Standort: Einrichtung und/oder Anschrift, keine Personen

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the service runs on ``day`` (status and validity dates).

        >>> s = Service(id="s", name="S", provider="p", quarters=["q"],
        ...             life_stages=["birth"], fields=["health"],
        ...             valid_until=dt.date(2024, 12, 31))
        >>> s.is_active_on(dt.date(2024, 6, 1)), s.is_active_on(dt.date(2025, 1, 1))
        (True, False)
        """
        if self.status in (ServiceStatus.ENDED, ServiceStatus.PAUSED):
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        return self.status is ServiceStatus.ACTIVE or (
            self.status is ServiceStatus.PLANNED
            and self.valid_from is not None
            and day >= self.valid_from
        )


class Transition(Entity):
    """A directed hand-off from one service to the next (Übergang)."""

    name: str = ""  # transitions are named by their services
    source: Ref
    target: Ref
    kind: TransitionKind = TransitionKind.REFERRAL
    owner: Ref | None = None
    agreements: list[Ref] = Field(default_factory=list)
    person_dependent: bool = False
    handover: list[Text] = Field(default_factory=list)
    backwards: bool = False
    language_mediation: bool = False  # the hand-over includes Sprachmittlung
    # issue 17 (models in graph.cooperation): quality over time, data protection, and
    # what the Transferbörse shows (Gelingensfaktoren, Stolpersteine, a contact role)
    cooperation: list[CooperationAssessment] = Field(default_factory=list)
    data_protection: DataProtection | None = None
    success_factors: list[Text] = Field(default_factory=list)
    pitfalls: list[Text] = Field(default_factory=list)
    contact_role: str | None = None


class Agreement(Entity):
    """A Vereinbarung between providers that backs one or more transitions."""

    kind: AgreementKind
    parties: Annotated[list[Ref], Field(min_length=1)]
    signed: Date | None = None
    valid_from: Date | None = None
    valid_until: Date | None = None
    review_date: Date | None = None
    binding: bool = True

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the agreement is in force on ``day``.

        >>> a = Agreement(id="a", name="A", kind="kkg_3", parties=["p"],
        ...               valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2025, 12, 31))
        >>> a.is_valid_on(dt.date(2026, 1, 1))
        False
        """
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_until is not None and day > self.valid_until)


class ReferralFlow(BaseModel):
    """Aggregated referrals over one transition in one period: never per family."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    transition: Ref
    period_start: Date
    period_end: Date
    referred: Count
    arrived: Count

    @property
    def key(self) -> str:
        return f"{self.transition}@{self.period_start.isoformat()}"


_FINDING_KEY = re.compile(r"^[A-Z][A-Z_]*(/[A-Za-z0-9][A-Za-z0-9_.:-]{0,99})+$")


def _check_finding_key(value: Any) -> Any:
    if isinstance(value, str) and not _FINDING_KEY.match(value.strip()):
        raise PydanticCustomError(
            "finding_key",
            "Befund-Schlüssel '{value}' ist ungültig: erwartet wird CODE/Kennung…, z. B. "
            "'NO_OWNER/kita-grundschule' (Spalte „Schlüssel“ von lotse check).",
            {"value": value})
    return value.strip() if isinstance(value, str) else value


class AcceptedFinding(BaseModel):
    """A finding checked and kept on purpose ("geprüft, bewusst so"): hidden from the
    open findings until ``until`` (inclusive; None: without end). ``by`` is a role."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key: Annotated[str, BeforeValidator(_check_finding_key)]
    reason: Text
    by: Text = "lotse"
    on: Date
    until: Date | None = None

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the acceptance still holds on ``day``.

        >>> a = AcceptedFinding(key="PEARL/s", reason="gewollt", on="2026-01-01",
        ...                     until="2026-06-30")
        >>> a.is_active_on(dt.date(2026, 6, 30)), a.is_active_on(dt.date(2026, 7, 1))
        (True, False)
        """
        return self.until is None or day <= self.until


class MeasureStatus(StrEnum):
    """Where a measure stands: offen, in Arbeit, erledigt, verworfen."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Measure(BaseModel):
    """A Maßnahme: what the network decided to do about one or more findings (their
    keys), with a responsible provider (a role, never a person) and a due date."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: Id
    title: Text
    findings: list[Annotated[str, BeforeValidator(_check_finding_key)]] = Field(
        default_factory=list)
    responsible: Ref
    due: Date | None = None
    status: MeasureStatus = MeasureStatus.OPEN
    note: str | None = None


# the transition's parts live in graph.cooperation, which uses the types above and
# completes Transition once its models exist (whichever module is imported first)
import graph.cooperation  # noqa: E402,F401
