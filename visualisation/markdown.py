"""Findings as a Markdown document (for docs/ and for pasting into minutes).

>>> from lotsen.findings import Finding
>>> f = Finding.make("NO_OWNER", ("t1",), ("q",), "Niemand ist verantwortlich.", "Festlegen.")
>>> print(findings_markdown("Beispiel", [f]))
## Beispiel
<BLANKLINE>
| Schwere | Code | Befund | Nächster Schritt |
|---|---|---|---|
| hoch | `NO_OWNER` | Niemand ist verantwortlich. | Festlegen. |
<BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Sequence

from lotsen.findings import Finding

__all__ = ["findings_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def findings_markdown(title: str, findings: Sequence[Finding]) -> str:
    """A Markdown section with one table row per finding."""
    lines = [f"## {title}", ""]
    if not findings:
        lines += ["Keine Befunde.", ""]
        return "\n".join(lines)
    lines += ["| Schwere | Code | Befund | Nächster Schritt |", "|---|---|---|---|"]
    for f in findings:
        lines.append(f"| {f.severity.label} | `{f.code}` | {_cell(f.message)} | "
                     f"{_cell(f.next_step)} |")
    lines.append("")
    return "\n".join(lines)
