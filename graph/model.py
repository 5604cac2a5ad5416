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

from graph.contact import OptionalContact, OptionalProviderContact
from graph.german_numbers import parse_number
from graph.vocabulary import code_for, id_suggestion, language_for, nfc

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


def _shown(value: Any) -> str:
    """A value quoted in a message: at most 100 characters, and a lone surrogate (no
    character, cannot be encoded) shown as '?' – the message must always be writable."""
    text = str(value)
    text = text if len(text) <= 100 else text[:99] + "…"
    return text.encode("utf-8", "replace").decode("utf-8")


def _writable(text: str) -> str:
    """A whole message that can always be encoded (a lone surrogate becomes '?')."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not ID_PATTERN.match(value):
        if not value.strip():
            raise PydanticCustomError("id_empty", "Die Kennung (id) ist leer.")
        suggestion = id_suggestion(value)
        hint = (f" Vorschlag: {suggestion}" if suggestion and ID_PATTERN.match(suggestion)
                else "")
        raise PydanticCustomError(
            "id_format",
            "Kennung '{value}' ist ungültig: erlaubt sind Buchstaben a–z, Ziffern und "
            "'-', '_', '.', ':' (ohne Umlaute und Leerzeichen, höchstens 100 Zeichen), "
            "z. B. 'kita-bornstrasse'.{hint}",
            {"value": _shown(value), "hint": hint},
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
        {"value": _shown(value)},
    )


Id = Annotated[str, BeforeValidator(_check_id),
               Field(json_schema_extra={"pattern": ID_PATTERN.pattern})]
"""An id: letters, digits and ``- _ . :``; unique across the whole network."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# in names also the bidi overrides and isolates: they make a name read differently from
# what it is (a spoofed provider name); descriptions may need them for Arabic or Hebrew
_NAME_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _no_control(value: Any) -> Any:
    """Control characters (NUL, ESC …) break exports (Excel, XML) and are never meant;
    a lone surrogate (\\ud800) is no character at all and cannot be stored."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise PydanticCustomError(
            "control_character",
            "Der Text enthält ein unsichtbares Steuerzeichen (z. B. aus einer kopierten "
            "Datei); bitte den Text neu eintippen.")
    return value


def _plain_name(value: Any) -> Any:
    """Names: no control characters, no tabs or line breaks, no bidi overrides."""
    if isinstance(value, str) and _NAME_CONTROL.search(value):
        raise PydanticCustomError(
            "control_character",
            "Der Name enthält ein unsichtbares Steuer- oder Richtungszeichen (z. B. U+202E "
            "aus einer kopierten Datei); bitte den Namen neu eintippen.")
    return value


def _unique(value: Any) -> Any:
    """A list of ids or codes names each entry once (a repeat is always a mistake and
    would multiply findings and pictures)."""
    if isinstance(value, list):
        seen: set[Any] = set()
        for item in value:
            if item in seen:
                raise PydanticCustomError(
                    "duplicate",
                    "'{value}' steht mehrfach in der Liste; jeden Eintrag bitte nur einmal "
                    "nennen.", {"value": _shown(item)})
            seen.add(item)
    return value


# what the validators below enforce, stated in the JSON schema (the OpenAPI document) as a
# pattern: no forbidden character, and in a required text at least one that is no space
_BAD_NAME = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069"
_BAD_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_NAME_SCHEMA = {"pattern": rf"^[^{_BAD_NAME}]*[^\s{_BAD_NAME}][^{_BAD_NAME}]*$"}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                 AfterValidator(_no_control), AfterValidator(_plain_name), AfterValidator(nfc),
                 Field(json_schema_extra=_NAME_SCHEMA)]
"""A required text (a name), at most 300 characters; empty is an error."""

LongText = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_control),
                     AfterValidator(nfc),
                     Field(json_schema_extra={"pattern": rf"^[^{_BAD_TEXT}]*$"})]
"""A free text (a description), at most 20,000 characters."""

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                AfterValidator(_no_control), AfterValidator(_plain_name),
                Field(json_schema_extra=_NAME_SCHEMA)]
"""A reference to an id; the network check says when it does not resolve (and which
id or name was probably meant)."""

Date = Annotated[dt.date, BeforeValidator(_parse_date)]
"""A calendar date, written 2025-12-31 or 31.12.2025."""

ShortText = Annotated[str, StringConstraints(max_length=300), AfterValidator(_no_control),
                      AfterValidator(_plain_name),
                      Field(json_schema_extra={"pattern": rf"^[^{_BAD_NAME}]*$"})]
"""An optional short text (a role, a site, a source), at most 300 characters."""

MAX_COUNT = 10_000_000
"""The largest count anywhere (inhabitants, children, places): more than any German city."""

_UNIQUE_SCHEMA = Field(json_schema_extra={"uniqueItems": True})
UniqueRefs = Annotated[list[Ref], AfterValidator(_unique), _UNIQUE_SCHEMA]
"""References, each named once (the caps per field: docs/limits.md)."""
UniqueTexts = Annotated[list[Text], AfterValidator(_unique), _UNIQUE_SCHEMA]


def _check_language(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return language_for(value)
    except ValueError as exc:
        raise PydanticCustomError("language_code", "{message}",
                                  {"message": _writable(str(exc))}) from None


Language = Annotated[str, BeforeValidator(_check_language)]
"""An ISO 639 language code: ``de``, ``ar``, ``tr``, ``bg`` ... (German names such as
"Türkisch" and upper-case codes are read as their code)."""


def _german_count(value: Any) -> Any:
    """Counts written as German text: "2.000" is 2000 (not 2)."""
    if isinstance(value, str):
        try:
            return parse_number(value, integer=True)
        except ValueError as exc:
            raise PydanticCustomError("german_number", "{message}",
                                      {"message": _writable(str(exc))}) from None
    return value


Count = Annotated[int, BeforeValidator(_german_count), Field(ge=0, le=MAX_COUNT)]
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


def _labelled(enum: type[StrEnum]) -> BeforeValidator:
    """Accept an enumeration value by its code or German label (any case)."""
    def to_code(value: Any) -> Any:
        if not isinstance(value, str) or isinstance(value, enum):
            return value
        try:
            return code_for(enum.__name__, value, with_codes=True)
        except ValueError as exc:
            raise PydanticCustomError("enum_german", "Wert {message}",
                                      {"message": str(exc)}) from None
    return BeforeValidator(to_code)


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
                              AfterValidator(_unique), _UNIQUE_SCHEMA] = Field(default_factory=list)
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

    kind: Annotated[ProviderKind, _labelled(ProviderKind)]
    anchor: Annotated[AnchorKind | None, _labelled(AnchorKind)] = None
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
    languages: Annotated[list[Language], Field(max_length=100), AfterValidator(_unique),
                         _UNIQUE_SCHEMA] = Field(
        default_factory=lambda: ["de"])
    access: Annotated[list[Annotated[Access, _labelled(Access)]], Field(max_length=10),
                      AfterValidator(_unique), _UNIQUE_SCHEMA] = Field(
        default_factory=list)
    capacity_per_year: Count | None = None
    # what capacity_per_year counts; None reads as starts per year (the field's name)
    capacity_unit: Annotated[CapacityUnit | None, _labelled(CapacityUnit)] = None
    language_bridge: bool = False  # a Sprachbrücke: families may arrive without German
    status: Annotated[ServiceStatus, _labelled(ServiceStatus)] = ServiceStatus.ACTIVE
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
    kind: Annotated[TransitionKind, _labelled(TransitionKind)] = TransitionKind.REFERRAL
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

    kind: Annotated[AgreementKind, _labelled(AgreementKind)]
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
            {"value": _shown(value)})
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
    findings: Annotated[list[FindingKey], Field(max_length=200), AfterValidator(_unique),
                        _UNIQUE_SCHEMA] = Field(
        default_factory=list)
    responsible: Ref
    due: Date | None = None
    status: Annotated[MeasureStatus, _labelled(MeasureStatus)] = MeasureStatus.OPEN
    note: LongText | None = None


# the transition's parts live in graph.cooperation, which uses the types above and
# completes Transition once its models exist (whichever module is imported first)
import graph.cooperation  # noqa: E402,F401
