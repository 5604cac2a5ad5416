"""Findings: what the Lotsensystem finds wrong with a chain (data, not exceptions).

Every finding has a stable ``code``, a ``severity``, the ``ids`` it concerns, the
quarters it concerns, a German ``message`` that names services and providers in
words, and a suggested ``next_step``; the check adds an estimate of the ``families``
affected per year, and a ranking (:mod:`lotsen.priority`) its ``rank``. Its
``stable_key`` (code and ids, joined by ``/``, which no id contains) names it across
runs, e.g. to accept it.

>>> f = Finding(code="NO_OWNER", severity=Severity.HIGH, ids=("t1",), quarters=("q",),
...             message="Niemand ist verantwortlich.", next_step="Eigentümer festlegen.")
>>> f.severity.label, f.title, f.stable_key
('hoch', 'Übergang ohne Verantwortlichen', 'NO_OWNER/t1')
>>> parse_key("STAGE_GAP/q/toddler")
('STAGE_GAP', ('q', 'toddler'))
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

__all__ = ["BROKEN_HANDOFF_CODES", "CODES", "Finding", "Severity", "parse_key"]


class Severity(IntEnum):
    """How urgent a finding is; higher is worse."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return {1: "niedrig", 2: "mittel", 3: "hoch", 4: "kritisch"}[self.value]


CODES: dict[str, tuple[Severity, str]] = {
    "STAGE_GAP": (Severity.CRITICAL, "Lücke in einer Lebensphase"),
    "CHAIN_BREAK": (Severity.CRITICAL, "Kette bricht zwischen zwei Lebensphasen"),
    "CAPACITY_GAP": (Severity.HIGH, "Zu wenig Plätze für den Bedarf"),
    "DEAD_END": (Severity.HIGH, "Sackgasse: kein Übergang in die nächste Lebensphase"),
    "UNREACHABLE": (Severity.MEDIUM, "Von den Einstiegsangeboten aus nicht erreichbar"),
    "PEARL": (Severity.MEDIUM, "Bildungsperle: Angebot ohne Übergang"),
    "NO_AGREEMENT": (Severity.HIGH, "Übergang ohne Vereinbarung"),
    "INFORMAL_ONLY": (Severity.MEDIUM, "Übergang nur informell abgesprochen"),
    "AGREEMENT_EXPIRED": (Severity.HIGH, "Vereinbarung abgelaufen"),
    "AGREEMENT_EXPIRING": (Severity.MEDIUM, "Vereinbarung läuft bald aus"),
    "NO_OWNER": (Severity.HIGH, "Übergang ohne Verantwortlichen"),
    "OWNER_NOT_PARTY": (Severity.MEDIUM,
                        "Verantwortlicher hat die Vereinbarung nicht unterschrieben"),
    "PERSON_DEPENDENT": (Severity.MEDIUM, "Übergang hängt an einer Person"),
    "TARGET_INACTIVE": (Severity.HIGH, "Übergang führt zu einem Angebot, das nicht läuft"),
    "LANGUAGE_BREAK": (Severity.MEDIUM, "Sprachbruch beim Übergang"),
    "HANDOFF_LOSS": (Severity.HIGH, "Viele Familien gehen beim Übergang verloren"),
    "REDUNDANT": (Severity.LOW, "Unabgestimmte Parallelangebote"),
    "SINGLE_POINT": (Severity.LOW, "Einzelner Ausfallpunkt der Kette"),
    "ANCHOR_MISSING": (Severity.MEDIUM, "Ankerstandort fehlt"),
    "LANGUAGE_NOT_COVERED": (Severity.MEDIUM, "Sprache der Familien fehlt in der Kette"),
    "NO_NEXT_SERVICE": (Severity.HIGH, "Die Kette hat für diese Familie keine Antwort"),
    "MEASURE_OVERDUE": (Severity.MEDIUM, "Maßnahme überfällig"),
    "COOPERATION_FALLING": (Severity.MEDIUM, "Kooperationsqualität gesunken"),
    "HANDOVER_WITHOUT_BASIS": (Severity.HIGH,
                               "Daten werden ohne Grundlage weitergegeben"),
}
"""Every finding code with its severity and German title."""

BROKEN_HANDOFF_CODES = frozenset({
    "NO_AGREEMENT", "INFORMAL_ONLY", "AGREEMENT_EXPIRED", "AGREEMENT_EXPIRING", "NO_OWNER",
    "OWNER_NOT_PARTY", "PERSON_DEPENDENT", "TARGET_INACTIVE", "LANGUAGE_BREAK",
    "HANDOFF_LOSS", "COOPERATION_FALLING", "HANDOVER_WITHOUT_BASIS",
})
"""Codes that mark a transition (hand-off) as broken or at risk."""


@dataclass(frozen=True, order=True)
class Finding:
    """One thing the analysis found; ``key`` identifies it across runs."""

    code: str
    severity: Severity
    ids: tuple[str, ...]
    quarters: tuple[str, ...]
    message: str
    next_step: str
    families: int | None = None  # estimated families affected per year (None: unknown)
    rank: int | None = None  # 1 = most important, set by lotsen.priority.prioritise

    @property
    def stable_key(self) -> str:
        """The key a person can type: ``CODE/id/id`` (ids never contain ``/``)."""
        return "/".join((self.code, *self.ids))

    @property
    def title(self) -> str:
        return CODES[self.code][1]

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """Stable identity: code and ids (the message may change with the wording)."""
        return (self.code, self.ids)

    def to_dict(self) -> dict[str, Any]:
        # built field by field: dataclasses.asdict deep-copies every value and cost two
        # thirds of a findings answer over HTTP
        return {"code": self.code, "severity": self.severity.name.lower(),
                "ids": list(self.ids), "quarters": list(self.quarters),
                "message": self.message, "next_step": self.next_step,
                "families": self.families, "rank": self.rank,
                "severity_label": self.severity.label, "title": self.title,
                "key": self.stable_key}

    @classmethod
    def make(cls, code: str, ids: tuple[str, ...], quarters: tuple[str, ...], message: str,
             next_step: str) -> Finding:
        """A finding with the severity its code carries."""
        return cls(code, CODES[code][0], ids, quarters, message, next_step)


def parse_key(text: str) -> tuple[str, tuple[str, ...]]:
    """Code and ids of a key written as ``CODE/id/id`` (see :attr:`Finding.stable_key`);
    a ValueError with a German message when the code is unknown."""
    code, *ids = text.strip().split("/")
    if code not in CODES or not ids:
        raise ValueError(f"'{text}' ist kein Befund-Schlüssel: erwartet wird CODE/Kennung…, "
                         "z. B. NO_OWNER/kita-grundschule (siehe Spalte „Schlüssel“ der "
                         "Befundliste).")
    return code, tuple(ids)
