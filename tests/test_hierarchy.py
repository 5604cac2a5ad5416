"""The flexible hierarchy Land → Kreis → Kommune → (Stadtbezirk) → Quartier: files without
Stadtbezirke validate, old files load unchanged, roll-ups at every level (library, CLI,
API, Werkstatt overview)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graph.backends.memory import MemoryRepository
from graph.errors import InvalidNetworkError
from graph.formats.document import dumps, loads
from graph.hierarchy import area_of, municipality_of
from graph.model import District, Municipality, Quarter
from lotsen.indicators import quarter_indicators, rollup
from seeds import load_seed
from tests.test_cli import lotse
from tests.werkstatt import werkstatt

DAY = dt.date(2026, 11, 22)
DATA = Path(__file__).parent / "data"


def test_kreis_seed_has_municipalities_without_districts() -> None:
    net = load_seed("kreis-unna")
    assert net.districts == []
    assert {q.id: municipality_of(net, q.id) for q in net.quarters} == {
        "selm-mitte": "selm", "luenen-sued": "luenen"}
    assert "Erfunden" in (net.description or "")
    assert loads(dumps(net)) == net  # the new fields survive a round trip


def test_quarter_needs_a_place_in_the_hierarchy(mini) -> None:
    with pytest.raises(InvalidNetworkError) as err:
        mini.with_sections(quarters=[Quarter(id="q", name="Ohne Ort")])
    assert "Quartier 'q', Feld 'district'" in str(err.value)
    assert "eine Kommune (Feld 'municipality')" in str(err.value)


def test_district_and_municipality_must_agree(mini) -> None:
    other = Municipality(id="selm", name="Stadt Selm")
    q = mini.quarters[0].model_copy(update={"municipality": "selm"})
    with pytest.raises(InvalidNetworkError) as err:
        mini.with_sections(municipalities=[*mini.municipalities, other], quarters=[q])
    assert f"Quartier '{q.id}', Feld 'municipality'" in str(err.value)


def test_unknown_municipality_names_a_close_one() -> None:
    net = load_seed("kreis-unna")
    q = net.quarters[0].model_copy(update={"municipality": "selmm"})
    with pytest.raises(InvalidNetworkError) as err:
        net.with_sections(quarters=[q, *net.quarters[1:]])
    assert "Kommune 'selmm' ist unbekannt. Meinten Sie 'selm'?" in str(err.value)


@pytest.mark.parametrize("name", ["netzwerk-schema-1.yaml"])
def test_old_files_load_unchanged_and_roll_up(name: str) -> None:
    net = loads((DATA / name).read_text("utf-8"))
    assert all(q.municipality is None and q.district for q in net.quarters)
    county = rollup(net, "county", DAY)
    municipality = rollup(net, "municipality", DAY)
    # a kreisfreie Stadt stands for itself at the Kreis level
    assert [(a.level, a.id) for a in county] == [(a.level, a.id) for a in municipality]


def test_rollup_at_every_level_adds_counts() -> None:
    net = load_seed("kreis-unna")
    quarters = {q.id: quarter_indicators(net, q.id, DAY) for q in net.quarters}
    selm, luenen = quarters["selm-mitte"], quarters["luenen-sued"]
    by_level = {level: rollup(net, level, DAY)
                for level in ("district", "municipality", "county", "state")}
    # without Stadtbezirke the municipality stands in at the district level
    assert [(a.level, a.name) for a in by_level["district"]] == [
        ("municipality", "Stadt Selm"), ("municipality", "Stadt Lünen")]
    assert [a.to_dict() for a in by_level["district"]] == [
        a.to_dict() for a in by_level["municipality"]]
    (kreis,) = by_level["county"]
    assert (kreis.level, kreis.id, kreis.quarters) == ("county", "Kreis Unna",
                                                       ["selm-mitte", "luenen-sued"])
    assert kreis.stages_total == selm.stages_total + luenen.stages_total
    assert kreis.stages_covered == selm.stages_covered + luenen.stages_covered
    # Schwangerschaftsberatung → Familienhebamme serves both towns: it counts once
    assert kreis.transitions_total == len(set(selm.binding) | set(luenen.binding)) == 8
    assert kreis.transitions_total == selm.transitions_total + luenen.transitions_total - 1
    assert kreis.binding_share == pytest.approx(
        kreis.transitions_binding / kreis.transitions_total)
    (land,) = by_level["state"]
    assert (land.name, land.to_dict()["counts"]) == ("Nordrhein-Westfalen",
                                                     kreis.to_dict()["counts"])


def test_district_level_keeps_districts_where_there_are_some() -> None:
    net = load_seed("dortmund")
    assert [a.level for a in rollup(net, "district", DAY)] == ["district", "district"]
    assert area_of(net, "hoerde", "state").name == "Land nicht angegeben"
    with pytest.raises(ValueError, match="Unbekannte Ebene"):
        rollup(net, "bundesland", DAY)


def test_cli_indicators_per_kreis(tmp_path: Path) -> None:
    assert lotse("load", "kreis-unna", cwd=tmp_path).returncode == 0
    result = lotse("indicators", "--level", "kreis", "--as-of", "2026-11-22", "--json",
                   cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["level"] == "county" and row["name"] == "Kreis Unna"
    table = lotse("indicators", "--level", "land", "--as-of", "2026-11-22", cwd=tmp_path)
    assert "Nordrhein-Westfalen" in table.stdout
    bad = lotse("indicators", "--level", "bund", cwd=tmp_path)
    assert bad.returncode != 0 and "county, state" in bad.stderr + bad.stdout


def test_api_and_overview_roll_up_per_kreis(tmp_path: Path) -> None:
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("kreis-unna"), "test")
    client = werkstatt(repo, tmp_path, auth=False)
    rows = client.get("/api/v1/rollup", params={"level": "county",
                                                "as_of": "2026-11-22"}).json()
    assert [(r["level"], r["name"]) for r in rows] == [("county", "Kreis Unna")]
    page = client.get("/", params={"stichtag": "2026-11-22"})
    assert page.status_code == 200
    text = page.text
    assert "<h2>Kreise</h2>" in text and "Stadt Selm, Stadt Lünen" in text
    assert "Stadt Selm gesamt" in text and 'href="/quartiere/selm-mitte"' in text
    quarter = client.get("/quartiere/selm-mitte")
    assert "Stadt Selm ·" in quarter.text


def test_districts_are_still_shown(tmp_path: Path) -> None:
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    text = werkstatt(repo, tmp_path, auth=False).get("/").text
    assert "Innenstadt-Nord (Nordstadt)</th>" in text and "<h2>Kreise</h2>" not in text


def test_districts_and_direct_quarters_mix() -> None:
    net = load_seed("kreis-unna")
    net = net.with_sections(
        districts=[District(id="brambauer", name="Brambauer", municipality="luenen")],
        quarters=[*net.quarters, Quarter(id="brambauer-ost", name="Brambauer-Ost",
                                         district="brambauer")])
    assert municipality_of(net, "brambauer-ost") == "luenen"
    names = {a.name: a.quarters for a in rollup(net, "municipality", DAY)}
    assert names["Stadt Lünen"] == ["luenen-sued", "brambauer-ost"]
    assert {a.name for a in rollup(net, "district", DAY)} == {"Stadt Selm", "Stadt Lünen",
                                                               "Brambauer"}


def test_map_of_a_kreis(tmp_path: Path) -> None:
    assert lotse("load", "kreis-unna", cwd=tmp_path).returncode == 0
    result = lotse("map", "--gebiet", "Kreis Unna", "--as-of", "2026-11-22", "-o",
                   "kreis.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "kreis.html").read_text("utf-8")
    assert "Selm-Mitte" in page and "Lünen-Süd" in page
    wrong = lotse("map", "--gebiet", "Kreis Unnna", cwd=tmp_path)
    assert wrong.returncode != 0 and "Kreis Unna" in wrong.stdout + wrong.stderr
    assert "Traceback" not in wrong.stderr


@pytest.mark.parametrize("seed, area, expected", [
    ("kreis-unna", "Nordrhein-Westfalen", ["selm-mitte", "luenen-sued"]),  # Land
    ("kreis-unna", "Kreis Unna", ["selm-mitte", "luenen-sued"]),  # Kreis
    ("kreis-unna", "Stadt Lünen", ["luenen-sued"]),  # Kommune without Stadtbezirke
    ("kreis-unna", "selm", ["selm-mitte"]),  # Kommune by id
    ("dortmund", "Stadt Dortmund", ["brunnenstrasse", "libellenquartier", "hoerde"]),
    ("dortmund", "Innenstadt-Nord (Nordstadt)", ["brunnenstrasse", "libellenquartier"]),
    ("dortmund", "bezirk-hoerde", ["hoerde"]),  # Stadtbezirk
    ("dortmund", "brunnenstrasse", ["brunnenstrasse"]),  # Quartier
])
def test_areas_of_every_level_for_maps_and_compare(seed: str, area: str,
                                                   expected: list[str]) -> None:
    from graph.hierarchy import quarters_in

    assert quarters_in(load_seed(seed), area) == expected


def test_compare_links_per_area_at_every_level() -> None:
    from lotsen.compare import area_link_matrix

    net = load_seed("kreis-unna")
    per_town = area_link_matrix(net, "municipality", DAY)
    assert {a for x in per_town for a in x.examples} == {"Stadt Selm", "Stadt Lünen"}
    school = next(x for x in per_town if "Grundschulalter" in x.label
                  and x.label.startswith("Übergang Kita–Grundschule"))
    assert school.backed == {"Stadt Selm": False, "Stadt Lünen": True}
    only_selm = [x for x in per_town if set(x.examples) == {"Stadt Selm"}]
    assert len(only_selm) == 2
    (kreis,) = {a for x in area_link_matrix(net, "county", DAY) for a in x.examples}
    assert kreis == "Kreis Unna"
    # the same link in two towns of the Kreis: backed in the Kreis when one has it backed
    assert next(x for x in area_link_matrix(net, "county", DAY)
                if x.key == school.key).backed == {"Kreis Unna": True}
    bezirke = area_link_matrix(load_seed("dortmund"), "district", DAY)
    assert {a for x in bezirke for a in x.examples} == {"Innenstadt-Nord (Nordstadt)",
                                                        "Hörde"}
    with pytest.raises(ValueError, match="Unbekannte Ebene"):
        area_link_matrix(net, "bund", DAY)


def test_cli_compare_per_kommune_and_within_an_area(tmp_path: Path) -> None:
    assert lotse("load", "kreis-unna", cwd=tmp_path).returncode == 0
    result = lotse("compare", "--level", "kommune", "--as-of", "2026-11-22", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Glieder der Kette je Kommune" in result.stdout
    assert "Stadt Selm" in result.stdout and "Stadt Lünen" in result.stdout
    rows = json.loads(lotse("compare", "--level", "kreis", "--json", "--as-of", "2026-11-22",
                            cwd=tmp_path).stdout)
    assert {a for row in rows for a in row["examples"]} == {"Kreis Unna"}
    inside = lotse("compare", "--gebiet", "Stadt Lünen", "--as-of", "2026-11-22",
                   cwd=tmp_path)
    assert inside.returncode == 0 and "Lünen-Süd" in inside.stdout
    assert "Selm-Mitte" not in inside.stdout
    bad = lotse("compare", "--level", "bund", cwd=tmp_path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
