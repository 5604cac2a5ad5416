"""The Ampel of a quarter: one colour for its open findings, and why (issue 28.4).

* **rot** – at least one open critical finding (a stage without any offer, a chain that
  breaks between two stages);
* **gelb** – no critical one, but at least one open finding of high or medium severity:
  each of these affects families (a hand-over without agreement, a language break, a
  falling cooperation quality, a pearl …);
* **grün** – nothing open but notes (low: ``SINGLE_POINT``, ``REDUNDANT``, an
  information-only hand-over without agreement) or nothing at all.

Accepted findings (geprüft, bewusst so) are not open and do not count. The reason names
the counts and the codes of the findings that set the colour, for the tooltip.

>>> from lotsen.findings import Finding
>>> f = Finding.make("LANGUAGE_BREAK", ("t",), ("q",), "…", "…")
>>> n = Finding.make("SINGLE_POINT", ("q",), ("q",), "…", "…")
>>> light = traffic_light([f, n])
>>> light.colour, light.reason
('gelb', 'gelb: 1 mittlerer offener Befund (LANGUAGE_BREAK); 1 Hinweis zählt nicht.')
>>> traffic_light([n]).colour
'gruen'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lotsen.findings import Finding, Severity

__all__ = ["Light", "traffic_light"]

_LABEL = {"rot": "rot", "gelb": "gelb", "gruen": "grün"}
_WORDS = {Severity.CRITICAL: ("kritischer", "kritische"), Severity.HIGH: ("hoher", "hohe"),
          Severity.MEDIUM: ("mittlerer", "mittlere")}


@dataclass(frozen=True)
class Light:
    """The colour (``rot``/``gelb``/``gruen``), its German label, the counts by severity
    and the reason shown as the tooltip."""

    colour: str
    label: str
    critical: int
    high: int
    medium: int
    notes: int
    reason: str


def _count(n: int, severity: Severity) -> str:
    one, many = _WORDS[severity]
    return f"{n} {one} offener Befund" if n == 1 else f"{n} {many} offene Befunde"


def traffic_light(findings: Iterable[Finding]) -> Light:
    """The Ampel of these open findings (see the module docstring)."""
    found = list(findings)
    by: dict[Severity, list[Finding]] = {s: [] for s in Severity}
    for f in found:
        by[f.severity].append(f)
    if by[Severity.CRITICAL]:
        colour, deciding = "rot", [Severity.CRITICAL]
    elif by[Severity.HIGH] or by[Severity.MEDIUM]:
        colour, deciding = "gelb", [Severity.HIGH, Severity.MEDIUM]
    else:
        colour, deciding = "gruen", []
    parts = []
    for s in deciding:
        if by[s]:
            codes = ", ".join(dict.fromkeys(f.code for f in by[s]))
            parts.append(f"{_count(len(by[s]), s)} ({codes})")
    notes = len(by[Severity.LOW])
    reason = f"{_LABEL[colour]}: " + ("; ".join(parts) if parts else
                                      "kein offener Befund außer Hinweisen")
    if notes:
        reason += "; 1 Hinweis zählt nicht" if notes == 1 else f"; {notes} Hinweise zählen nicht"
    return Light(colour, _LABEL[colour], len(by[Severity.CRITICAL]), len(by[Severity.HIGH]),
                 len(by[Severity.MEDIUM]), notes, reason + ".")
