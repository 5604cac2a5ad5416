"""The analysis commands of ``lotse``, run as real processes."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import lotse

AS_OF = "2026-11-22"

# ``store``: a folder whose store holds the dortmund seed (tests/conftest.py)


def test_check_groups_by_severity(store):
    result = lotse("check", "--quarter", "brunnenstrasse", "--as-of", AS_OF, cwd=store)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Befunde für Brunnenstraßen-/Hannibalviertel – Stand 22.11.2026" in out
    assert out.index("Hoch (") < out.index("Mittel (")
    assert "Übergang ohne Vereinbarung" in out and "Nächster Schritt" in out


def test_check_json_and_thresholds(store):
    result = lotse("check", "--json", "--as-of", AS_OF, cwd=store)
    data = json.loads(result.stdout)
    codes = [f["code"] for f in data["findings"]]
    assert "STAGE_GAP" in codes and data["as_of"] == AS_OF
    first = data["findings"][0]
    assert first["severity"] == "critical" and first["severity_label"] == "kritisch"
    wide = json.loads(lotse("check", "--json", "--as-of", AS_OF, "--horizon", "400",
                            cwd=store).stdout)
    expiring = lambda d: sum(f["code"] == "AGREEMENT_EXPIRING" for f in d["findings"])  # noqa: E731
    assert expiring(wide) > expiring(data)


def test_owner_variants(store):
    one = lotse("owner", "kita-bornstrasse-grundschule", "--as-of", AS_OF, cwd=store)
    assert "verantwortlich: TEK Bornstraße 52 (abgelaufen)" in one.stdout
    by_names = lotse("owner", "--from", "Willkommensbesuch", "--to",
                     "Griffbereit – Baby-Eltern-Treff", cwd=store)
    assert "Familienbüro Innenstadt-Nord" in by_names.stdout
    nobody = lotse("owner", "--unowned", "--json", cwd=store)
    assert [r["transition"] for r in json.loads(nobody.stdout)] == [
        "kita-familienzentrum-grundschule"]
    table = lotse("owner", "--quarter", "hoerde", cwd=store)
    assert "Verantwortungstabelle Hörde" in table.stdout
    missing = lotse("owner", "--from", "Willkommensbesuch", cwd=store)
    assert missing.returncode == 1 and "--to" in missing.stderr


def test_next_answers_and_says_when_it_cannot(store):
    result = lotse("next", "--quarter", "brunnenstrasse", "--age", "24", "--language",
                   "Arabisch", "--as-of", AS_OF, cwd=store)
    assert result.returncode == 0, result.stderr
    assert "1. Griffbereit – Baby-Eltern-Treff" in result.stdout
    assert "verantwortlich" in result.stdout
    none = lotse("next", "--quarter", "hoerde", "--age", "80", "--need", "Gesundheit",
                 "--as-of", AS_OF, cwd=store)
    assert "keine Antwort" in none.stdout
    bad = lotse("next", "--quarter", "hoerde", "--age", "8", "--language", "Klingonisch",
                cwd=store)
    assert bad.returncode == 1 and "Sprache 'Klingonisch' ist unbekannt" in bad.stderr


def test_indicators_levels(store):
    quarters = lotse("indicators", "--as-of", AS_OF, cwd=store)
    assert "Libellenquartier" in quarters.stdout and "86%" in quarters.stdout
    city = json.loads(lotse("indicators", "--level", "kommune", "--json", "--as-of", AS_OF,
                            cwd=store).stdout)
    assert city[0]["name"] == "Stadt Dortmund" and 0 < city[0]["binding_share"] < 1
    bad = lotse("indicators", "--level", "bund", cwd=store)  # land (Land) is a level now
    assert bad.returncode == 1 and "Ebene 'bund'" in bad.stderr


def test_compare_two_and_all(store):
    two = lotse("compare", "brunnenstrasse", "hoerde", "--as-of", AS_OF, cwd=store)
    assert "Nur in Brunnenstraßen-/Hannibalviertel, fehlt in Hörde" in two.stdout
    everything = lotse("compare", cwd=store)
    assert "Glieder der Kette je Quartier" in everything.stdout


def test_impact(store):
    result = lotse("impact", "--service", "kita-bornstrasse", "--as-of", AS_OF, cwd=store)
    assert result.returncode == 0, result.stderr
    assert "Wenn wegfällt: TEK Bornstraße 52" in result.stdout
    assert "TARGET_INACTIVE" in result.stdout
    neither = lotse("impact", cwd=store)
    assert neither.returncode == 1 and "genau eins" in neither.stderr


@pytest.mark.parametrize("command", ["check", "owner", "next", "indicators", "compare",
                                     "impact"])
def test_analysis_commands_have_help_with_example_and_as_of(tmp_path, command):
    result = lotse(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Beispiel" in result.stdout and "--as-of" in result.stdout
