"""The Kreis-wide Transferbörse: compare chain links of quarters of different
municipalities, in one store or from separate files (``lotse compare --with``), with
Gelingensfaktoren, Stolpersteine and the contact role next to the link."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graph.formats.document import save
from lotsen.transfer import transfer
from seeds import load_seed
from tests.test_cli import lotse

DAY = dt.date(2026, 11, 22)
AS_OF = "2026-11-22"


@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    """Selm in the default store, Lünen in a network document and in a store of its own."""
    net = load_seed("kreis-unna")
    save(net.restricted_to(["selm-mitte"]), tmp_path / "selm.yaml")
    save(net.restricted_to(["luenen-sued"]), tmp_path / "luenen.yaml")
    assert lotse("load", "selm.yaml", cwd=tmp_path).returncode == 0
    assert lotse("load", "luenen.yaml", "--store", "luenen-speicher.json",
                 cwd=tmp_path).returncode == 0
    return tmp_path


def test_links_across_municipalities_in_one_network() -> None:
    net = load_seed("kreis-unna")
    t = transfer(net, "Selm-Mitte", net, "Lünen-Süd", DAY)
    assert (t.first, t.second) == ("Selm-Mitte (Stadt Selm)", "Lünen-Süd (Stadt Lünen)")
    only_selm = {o.transition for x in t.only_in_first for o in x.first}
    only_luenen = {o.transition for x in t.only_in_second for o in x.second}
    assert only_selm == {"selm-hausbesuch-fbs", "selm-fbs-kita"}
    assert only_luenen == {"luenen-willkommen-familienzentrum"}
    offer = next(o for x in t.only_in_first for o in x.first
                 if o.transition == "selm-hausbesuch-fbs")
    assert offer.contact_role == "Fachkraft Hausbesuchsdienst"
    assert "Gelingensfaktoren: Die Kursleitung kommt zum Arbeitskreis" in offer.lessons
    school = next(x for x in t.shared if "Grundschulalter" in x.label)
    assert [o.backed for o in school.first] == [False]
    assert school.first[0].pitfalls == (
        "Die Absprache hängt an der früheren Schulleitung – seit dem Wechsel kein Termin mehr",)
    assert school.second[0].cooperation.startswith("Stufe 4 „Verbindlich“")


def test_the_same_comparison_from_separate_files() -> None:
    net = load_seed("kreis-unna")
    whole = transfer(net, "selm-mitte", net, "luenen-sued", DAY)
    apart = transfer(net.restricted_to(["selm-mitte"]), "selm-mitte",
                     net.restricted_to(["luenen-sued"]), "luenen-sued", DAY)
    assert apart == whole


@pytest.mark.parametrize("other", ["luenen.yaml", "luenen-speicher.json"])
def test_cli_compare_with_another_file(two_files: Path, other: str) -> None:
    result = lotse("compare", "selm-mitte", "luenen-sued", "--with", other, "--as-of", AS_OF,
                   cwd=two_files)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Nur in Lünen-Süd (Stadt Lünen), fehlt in Selm-Mitte (Stadt Selm)" in text
    assert "Beide haben das Glied, aber nur einer hat es verbindlich abgesichert" in text
    assert "Gelingensfaktoren:" in text and "Stolpersteine:" in text
    assert "Ansprechrolle:" in text
    data = json.loads(lotse("compare", "selm-mitte", "luenen-sued", "--with", other,
                            "--as-of", AS_OF, "--json", cwd=two_files).stdout)
    assert data["second"] == "Lünen-Süd (Stadt Lünen)"
    assert [o["transition"] for x in data["only_in_second"] for o in x["second"]] == [
        "luenen-willkommen-familienzentrum"]
    school = next(x for x in data["shared"] if "Grundschulalter" in x["label"])
    assert school["second"][0]["success_factors"][0] == (
        "Stadtteileltern begleiten die Familien zur Schulanmeldung")
    assert school["second"][0]["contact_role"] == (
        "Koordination Stadtteileltern im Familienzentrum")


def test_cli_compare_with_needs_two_quarters_and_a_real_file(two_files: Path) -> None:
    one = lotse("compare", "selm-mitte", "--with", "luenen.yaml", cwd=two_files)
    assert one.returncode == 1 and "genau zwei Quartiere" in one.stderr
    missing = lotse("compare", "selm-mitte", "luenen-sued", "--with", "lünen.yml",
                    cwd=two_files)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    wrong = lotse("compare", "selm-mitte", "luenen-sud", "--with", "luenen.yaml",
                  cwd=two_files)
    assert wrong.returncode == 1 and "Meinten Sie 'luenen-sued'?" in wrong.stderr


def test_cli_compare_two_quarters_of_one_store_shows_lessons(tmp_path: Path) -> None:
    assert lotse("load", "kreis-unna", cwd=tmp_path).returncode == 0
    result = lotse("compare", "selm-mitte", "luenen-sued", "--as-of", AS_OF, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Was dieser Ort weitergeben kann" in result.stdout


def test_areas_of_one_name_stay_apart() -> None:
    """Review 6.12.2026: two Stadtbezirke called the same were merged into one column."""
    import datetime as dt

    from lotsen.compare import area_link_matrix
    from seeds import load_seed

    net = load_seed("dortmund")
    first, second = net.districts[0], net.districts[1]
    twin = net.with_sections(districts=[first, second.model_copy(update={"name": first.name}),
                                        *net.districts[2:]])
    areas = {a for x in area_link_matrix(twin, "district", dt.date(2026, 11, 22))
             for a in x.examples}
    assert {f"{first.name} ({first.id})", f"{first.name} ({second.id})"} <= areas
