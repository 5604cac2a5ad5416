"""The findings of every seed network on a fixed date, as ``docs/seed-findings.md``.

Run ``python -m visualisation.seed_report`` to write it; a test checks it is current.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lotsen.check import check
from seeds import list_seeds, load_seed
from visualisation.markdown import findings_markdown

__all__ = ["AS_OF", "main", "render"]

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
    return "\n".join(parts)


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"{TARGET} geschrieben.")


if __name__ == "__main__":
    main()
