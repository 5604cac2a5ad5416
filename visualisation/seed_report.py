"""The findings of every seed network on a fixed date, as ``docs/seed-findings.md``.

Run ``python -m visualisation.seed_report`` to write it; a test checks it is current.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lotsen.check import check
from seeds import list_seeds, load_seed
from visualisation.markdown import findings_markdown

__all__ = ["AS_OF", "CHANGES", "main", "render"]

AS_OF = dt.date(2026, 11, 22)
TARGET = Path(__file__).resolve().parent.parent / "docs" / "seed-findings.md"


def render() -> str:
    """The whole document."""
    parts = [
        "# Befunde der Beispielnetze",
        "",
        f"Stichtag {AS_OF:%d.%m.%Y}, Standard-Schwellen (auslaufend: 90 Tage, Verlust ab 30 %, "
        "Kapazität für jedes Kind). Erzeugt mit `python -m visualisation.seed_report`; ein "
        "Test prüft, dass diese Datei zur Analyse passt. Was in den Netzen aus den Dokumenten "
        "stammt und was eingebaut wurde, steht in ihrer Beschreibung (`seeds/data/*.yaml`).",
        "",
    ]
    for info in list_seeds():
        findings = check(load_seed(info.name), AS_OF)
        parts.append(findings_markdown(f"{info.title} (`{info.name}`, {len(findings)} Befunde)",
                                       findings))
    parts.append(CHANGES)
    return "\n".join(parts)


CHANGES = """## Vorher und nachher: ein Hinweis je Quartier, eine Sprache ohne Angebot (Issue 28)

| Beispielnetz | Befunde vorher | nachher | `SINGLE_POINT` vorher → nachher | Sprache neu |
|---|---|---|---|---|
| `brunnenstrasse` | 15 | 17 | 1 → 1 | 2 |
| `dortmund` | 36 | 35 | 8 → 3 | 4 |
| `unna` | 26 | 25 | 8 → 2 | 5 |
| `kreis-unna` | 27 | 20 | 13 → 2 | 4 |

- `SINGLE_POINT`: vorher ein Befund (mittel) je Lebensphase und je Kettenglied, das an einem
  Angebot oder Träger hängt – in Selm und Lünen, wo ein Familienzentrum je Phase üblich ist,
  13 von 27 Befunden. Jetzt ein Hinweis (niedrig, zählt nicht für die Ampel) je Quartier, der
  alle diese Phasen und Wege nennt; ein Angebot ohne jeden Übergang (eine Perle) trägt und
  entlastet nichts, so dass ein neues unverbundenes Angebot keinen Hinweis erzeugt oder
  ändert. Schlüssel `SINGLE_POINT/QUARTIER`.
- `LANGUAGE_NOT_COVERED` (neu): eine Hauptsprache der Familien (Sozialdaten), die kein
  laufendes Angebot einer Lebensphase spricht, ohne Sprachmittlung bei der Übergabe und ohne
  Sprachbrücke – etwa Arabisch in Lünen-Süd, Polnisch in Selm-Mitte. `LANGUAGE_BREAK` sah das
  nicht, weil dort schon die Quelle die Sprache sprechen muss.
- Wortlaut: `CAPACITY_GAP` nennt Aufnahmen pro Jahr nicht mehr „Plätze“ („reichen die
  Aufnahmen“, „reichen Plätze und Aufnahmen“); `NO_AGREEMENT` bei „nur Information“ verlangt
  im nächsten Schritt keine verbindliche Vereinbarung mehr.
- Familien im Jahr: eine Übergabe betrifft höchstens so viele Familien, wie das Ziel im Jahr
  aufnehmen kann (Willkommensbesuch → Kinderstube mit 10 Plätzen für zwei Jahre: 5 statt 40).

## Vorher und nachher: die genaueren Regeln (Issue 13)

| Beispielnetz | Befunde vorher | nachher | weggefallen | zusammengelegt | neu |
|---|---|---|---|---|---|
| `brunnenstrasse` | 15 | 15 | 2 | 0 | 2 |
| `dortmund` | 30 | 36 | 7 | 1 (aus 2) | 14 |
| `unna` | 23 | 26 | 7 | 2 (aus 4) | 12 |

Weggefallen, mit Grund:

- `INFORMAL_ONLY` „Sprachprojekt Hannibal“ → „Familiengrundschulzentrum Kleine Kielstraße“
  (`brunnenstrasse`, `dortmund`): der Übergang gibt nur Informationen weiter; dafür genügt
  eine informelle Absprache (Regel 5).
- `SINGLE_POINT` je Angebot (Babylotsendienst in drei Quartieren, Grundschulen und Kitas in
  Hörde und im Libellenquartier, Schwangerschaftsberatung, KinderZUKUNFT, Grundschulen und
  Familienzentrum in Unna): ersetzt durch je einen Befund pro Quartier und Lebensphase oder
  Kettenglied, der die tragenden Angebote nennt (Regel 6). Was die alten Befunde zusätzlich
  über Kettenglieder sagten, die nur mit derselben Phase fallen (Kita Hörde: „die Kette
  zwischen Kleinkindalter und Kita-Alter bräche …“), wird nicht wiederholt.
- `DEAD_END` „Familienhebammen“ (Libellenquartier, Hörde), `DEAD_END` „Sozialpädiatrische
  Sprechstunde“ und `PEARL` „Frühförderung“ (Unna-Mitte, Königsborn): je ein Befund, der
  beide Quartiere nennt, statt einer pro Quartier (Regel 7).

Neu:

- `CAPACITY_GAP`: Kapazität hat jetzt eine Einheit. Kitas, Grundschulen und Kinderstuben der
  Beispielnetze zählen „Plätze gleichzeitig“ und werden mit den Kindern der Phase
  verglichen; ein Angebot über mehrere Lebensphasen teilt seine Plätze anteilig nach Monaten
  (vorher zählte es in jeder Phase voll, Regel 2). Willkommensbesuche, Kurse und Lotsen
  zählen Aufnahmen pro Jahr und werden mit dem Jahrgang verglichen.
- `SINGLE_POINT` je Quartier und Lebensphase bzw. Kettenglied (siehe oben).
"""


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"{TARGET} geschrieben.")


if __name__ == "__main__":
    main()
