"""The seeds' findings listed in docs/seed-findings.md are what the analysis finds."""

from __future__ import annotations

from visualisation.seed_report import TARGET, render


def test_seed_findings_document_is_current():
    assert TARGET.read_text(encoding="utf-8") == render(), (
        "docs/seed-findings.md ist veraltet: python -m visualisation.seed_report ausführen")


def test_reference_quarter_findings_include_the_planted_defects():
    text = TARGET.read_text(encoding="utf-8")
    section = text.split("## ")[1]
    for code in ("PEARL", "NO_AGREEMENT", "AGREEMENT_EXPIRING", "AGREEMENT_EXPIRED",
                 "INFORMAL_ONLY", "NO_OWNER", "PERSON_DEPENDENT", "LANGUAGE_BREAK",
                 "CAPACITY_GAP"):
        assert f"`{code}`" in section
