"""The entities of a Präventionskette (pydantic v2, immutable).

One class per entity of ``../shared/DOMAIN.md``: municipality, district, quarter
with social data per year, provider, service, transition, agreement and aggregated
referral flows. References between entities are ids (strings); the ``Network``
aggregate in :mod:`graph.network` checks that they resolve. The values the entities are
made of (ids, texts, dates, counts) are in :mod:`graph.values`, the parts of a transition
(cooperation quality, data protection) in :mod:`graph.cooperation`.

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
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from graph.contact import OptionalContact, OptionalProviderContact
from graph.cooperation import CooperationAssessment, DataProtection
from graph.values import (
    ID_PATTERN,
    UNIQUE_SCHEMA,
    Count,
    Date,
    Id,
    Language,
    LongText,
    Ref,
    Share,
    ShortText,
    Text,
    UniqueRefs,
    UniqueTexts,
    labelled,
    shown,
    unique,
)

__all__ = [
    "ID_PATTERN",
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
    "LongText",
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
    "ShortText",
    "SocialData",
    "Text",
    "Transition",
    "TransitionKind",
]


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

    county: ShortText | None = None
    state: ShortText | None = None


class District(Entity):
    """A Stadtbezirk of a municipality."""

    municipality: Ref


class SocialData(BaseModel):
    """Sozialraumdaten of a quarter for one year; every figure is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: Annotated[int, Field(ge=1900, le=2200)]
    inhabitants: Count | None = None
    births_per_year: Count | None = None
    children_by_stage: Annotated[dict[Ref, Count], Field(max_length=50)] = Field(
        default_factory=dict)
    children_under_18: Count | None = None
    sgb2_share: Share | None = None
    migrant_share: Share | None = None
    nations: Annotated[int, Field(ge=0, le=300)] | None = None
    main_languages: Annotated[list[Language], Field(max_length=100),
                              AfterValidator(unique), UNIQUE_SCHEMA] = Field(default_factory=list)
    source: ShortText | None = None


class Quarter(Entity):
    """A Quartier / Sozialraum: the smallest unit, in one district or, where a town has
    no Stadtbezirke (Selm, Lünen), directly in a municipality."""

    district: Ref | None = None
    municipality: Ref | None = None
    social_data: Annotated[list[SocialData], Field(max_length=301)] = Field(
        default_factory=list)

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

    kind: Annotated[ProviderKind, labelled(ProviderKind)]
    anchor: Annotated[AnchorKind | None, labelled(AnchorKind)] = None
    contact: OptionalProviderContact = None  # Web, E-Mail, Telefon des Trägers (issue 15)

    @property
    def is_anchor_site(self) -> bool:
        return self.anchor is not None


class Service(Entity):
    """An offer (Angebot), run by one provider, in one or more quarters."""

    provider: Ref
    quarters: Annotated[UniqueRefs, Field(min_length=1, max_length=500)]
    life_stages: Annotated[UniqueRefs, Field(min_length=1, max_length=50)]
    fields: Annotated[UniqueRefs, Field(min_length=1, max_length=50)]
    target_groups: Annotated[UniqueTexts, Field(max_length=50)] = Field(default_factory=list)
    languages: Annotated[list[Language], Field(max_length=100), AfterValidator(unique),
                         UNIQUE_SCHEMA] = Field(
        default_factory=lambda: ["de"])
    access: Annotated[list[Annotated[Access, labelled(Access)]], Field(max_length=10),
                      AfterValidator(unique), UNIQUE_SCHEMA] = Field(
        default_factory=list)
    capacity_per_year: Count | None = None
    # what capacity_per_year counts; None reads as starts per year (the field's name)
    capacity_unit: Annotated[CapacityUnit | None, labelled(CapacityUnit)] = None
    language_bridge: bool = False  # a Sprachbrücke: families may arrive without German
    status: Annotated[ServiceStatus, labelled(ServiceStatus)] = ServiceStatus.ACTIVE
    valid_from: Date | None = None
    valid_until: Date | None = None
    contact_role: ShortText | None = None
    site: ShortText | None = None  # Standort: Einrichtung und/oder Anschrift, keine Personen
    contact: OptionalContact = None  # Web, E-Mail, Telefon, Öffnungszeiten (am Standort)
    # Standorte als eigene Einträge (graph.site, issue 15); der Text ``site`` bleibt gültig
    sites: Annotated[UniqueRefs, Field(max_length=50)] = Field(default_factory=list)

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

    name: ShortText = ""  # transitions are named by their services
    source: Ref
    target: Ref
    kind: Annotated[TransitionKind, labelled(TransitionKind)] = TransitionKind.REFERRAL
    owner: Ref | None = None
    agreements: Annotated[UniqueRefs, Field(max_length=50)] = Field(default_factory=list)
    person_dependent: bool = False
    handover: Annotated[UniqueTexts, Field(max_length=50)] = Field(default_factory=list)
    backwards: bool = False
    language_mediation: bool = False  # the hand-over includes Sprachmittlung
    # issue 17 (models in graph.cooperation): quality over time, data protection, and
    # what the Transferbörse shows (Gelingensfaktoren, Stolpersteine, a contact role)
    cooperation: Annotated[list[CooperationAssessment], Field(max_length=200)] = Field(
        default_factory=list)
    data_protection: DataProtection | None = None
    success_factors: Annotated[UniqueTexts, Field(max_length=50)] = Field(default_factory=list)
    pitfalls: Annotated[UniqueTexts, Field(max_length=50)] = Field(default_factory=list)
    contact_role: ShortText | None = None
    valid_from: Date | None = None  # besteht seit: for „Wirkung nach einem Jahr“ of a new link


class Agreement(Entity):
    """A Vereinbarung between providers that backs one or more transitions."""

    kind: Annotated[AgreementKind, labelled(AgreementKind)]
    parties: Annotated[UniqueRefs, Field(min_length=1, max_length=1000)]
    signed: Date | None = None
    valid_from: Date | None = None
    valid_until: Date | None = None
    review_date: Date | None = None
    binding: bool = True
    # the quarters it is stated to belong to (issue 16); the access rules add those of
    # the transitions it backs (or, backing none, those its parties' services serve)
    quarters: Annotated[UniqueRefs, Field(max_length=500)] = Field(default_factory=list)

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
            {"value": shown(value)})
    return value.strip() if isinstance(value, str) else value


FindingKey = Annotated[str, BeforeValidator(_check_finding_key),
                       Field(json_schema_extra={"pattern": _FINDING_KEY.pattern})]
"""A finding's stable key, CODE/id/…"""


class AcceptedFinding(BaseModel):
    """A finding checked and kept on purpose ("geprüft, bewusst so"): hidden from the
    open findings until ``until`` (inclusive; None: without end). ``by`` is a role."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key: FindingKey
    reason: Text
    by: Text = "lotse"
    on: Date
    until: Date | None = None
    meeting: Ref | None = None  # the Sitzung that decided it (graph.meeting)

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
    findings: Annotated[list[FindingKey], Field(max_length=200), AfterValidator(unique),
                        UNIQUE_SCHEMA] = Field(
        default_factory=list)
    responsible: Ref
    due: Date | None = None
    status: Annotated[MeasureStatus, labelled(MeasureStatus)] = MeasureStatus.OPEN
    note: LongText | None = None
    meeting: Ref | None = None  # the Sitzung that decided it (graph.meeting)

