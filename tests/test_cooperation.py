"""Cooperation quality (five levels, trend, finding when it falls, line width and legend)
and data protection per hand-over (finding without a basis, Verantwortungstabelle)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph.backends.memory import MemoryRepository
from graph.cooperation import LEVELS, CooperationAssessment, DataProtection
from graph.formats.document import loads
from lotsen.check import check
from lotsen.cooperation import quality_findings, trend
from lotsen.ownership import responsibility_table
from lotsen.priority import prioritise
from seeds import load_seed
from tests.test_cli import lotse
from tests.werkstatt import form_of, werkstatt
from visualisation.html_map import map_data, map_html
from visualisation.palette import COOPERATION_WIDTH, EDGE_STYLE
from visualisation.report import quarter_report
from visualisation.scene import quarter_scene
from visualisation.static import legend_handles

DAY = dt.date(2026, 11, 22)
T = "selm-kita-grundschule"  # falls from level 3 to 2 on 18.06.2026, documents without basis
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def kreis():
    return load_seed("kreis-unna")


def test_five_levels_with_three_dimensions() -> None:
    assert sorted(LEVELS) == [1, 2, 3, 4, 5]
    assert all(lv.knowledge and lv.binding and lv.exchange for lv in LEVELS.values())
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        CooperationAssessment(level=6, on="2026-01-01", by="Netzwerkkoordination")
    with pytest.raises(ValidationError):
        CooperationAssessment(level=3, on="2026-01-01", by="")  # a role is required


def test_trend_follows_the_as_of_date(kreis) -> None:
    assert [a.level for a in trend(kreis, T)] == [3, 3, 2]
    assert [a.level for a in trend(kreis, T, dt.date(2026, 1, 1))] == [3, 3]
    with pytest.raises(Exception, match="Übergang 'selm-kita-grundschul'"):
        trend(kreis, "selm-kita-grundschul")


def test_falling_quality_is_a_finding_only_after_the_fall(kreis) -> None:
    def codes(day: dt.date) -> set[str]:
        return {f.code for f in check(kreis, day) if T in f.ids}

    assert "COOPERATION_FALLING" not in codes(dt.date(2026, 6, 17))
    assert "COOPERATION_FALLING" in codes(dt.date(2026, 6, 18))
    (f,) = [f for f in check(kreis, DAY) if f.code == "COOPERATION_FALLING"]
    assert f.quarters == ("selm-mitte",) and f.severity.label == "mittel"
    assert "von Stufe 3 „Vernetzt“ (20.06.2025, Netzwerkkoordination Selm) auf Stufe 2 " \
        "„Abgestimmt“ (18.06.2026" in f.message
    assert f.families is not None  # ranked like every hand-off finding
    ranked = prioritise(check(kreis, DAY))
    assert any(x.code == "COOPERATION_FALLING" and x.rank for x in ranked)
    # a rising or steady quality is no finding (Lünen: 3 → 4 → 4)
    assert not [x for x in quality_findings(kreis, DAY, ["Lünen-Süd"])]


def test_data_passing_without_basis_is_a_finding(kreis) -> None:
    (f,) = [f for f in check(kreis, DAY, quarters=["selm-mitte"])
            if f.code == "HANDOVER_WITHOUT_BASIS"]
    assert f.ids == (T,) and f.severity.label == "hoch"
    assert "werden Unterlagen weitergegeben, ohne dass eine Grundlage" in f.message
    assert DataProtection(passes="nothing").has_basis
    assert not DataProtection(passes="contact").has_basis
    fixed = kreis.with_sections(transitions=[
        t.model_copy(update={"data_protection": DataProtection(
            passes="documents", basis=["written_consent"])}) if t.id == T else t
        for t in kreis.transitions])
    assert "HANDOVER_WITHOUT_BASIS" not in {f.code for f in check(fixed, DAY)}


def test_old_files_have_no_quality_findings() -> None:
    net = loads((DATA / "netzwerk-schema-1.yaml").read_text("utf-8"))
    assert all(not t.cooperation and t.data_protection is None for t in net.transitions)
    assert not quality_findings(net, DAY)


def test_verantwortungstabelle_shows_data_protection_and_quality(kreis) -> None:
    rows = {r.transition: r for r in responsibility_table(kreis, "selm-mitte", DAY)}
    assert rows[T].data_protection == "Unterlagen · ohne Grundlage"
    assert not rows[T].data_protection_ok
    assert rows[T].cooperation.startswith("Stufe 2 „Abgestimmt“ (18.06.2026")
    assert rows["selm-hausbesuch-fbs"].data_protection == (
        "Kontaktdaten · Grundlage: schriftliche Einwilligung")
    assert rows["selm-fbs-kita"].data_protection == "nicht angegeben"
    report = quarter_report(kreis, "selm-mitte", DAY)
    assert "<th>Datenschutz</th>" in report and "Unterlagen · ohne Grundlage" in report


def test_cli_owner_table_has_data_protection(tmp_path: Path) -> None:
    assert lotse("load", "kreis-unna", cwd=tmp_path).returncode == 0
    result = lotse("owner", "--quarter", "selm-mitte", "--as-of", "2026-11-22", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Datenschutz" in result.stdout and "Unterlagen ·" in result.stdout
    rows = json.loads(lotse("owner", "--quarter", "selm-mitte", "--as-of", "2026-11-22",
                            "--json", cwd=tmp_path).stdout)
    row = next(r for r in rows if r["transition"] == T)
    assert (row["data_protection"], row["data_protection_ok"]) == (
        "Unterlagen · ohne Grundlage", False)


def test_werkstatt_quarter_page_shows_both(tmp_path: Path) -> None:
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("kreis-unna"), "test")
    page = werkstatt(repo, tmp_path, auth=False).get(
        "/quartiere/selm-mitte", params={"stichtag": "2026-11-22"}).text.replace(
        "\u00ad", "")  # the table cells carry soft hyphens (invisible unless a line breaks)
    assert "Datenschutz: was geht weiter, auf welcher Grundlage" in page
    assert '<td class="warnung">Unterlagen · ohne Grundlage</td>' in page
    assert "Stufe 2 „Abgestimmt“" in page
    assert "Kooperationsqualität gesunken" in page


def test_map_line_width_follows_quality_with_a_legend(kreis) -> None:
    scene = quarter_scene(kreis, "selm-mitte", DAY)
    edges = {e["id"]: e for e in map_data(scene)["edges"]}
    # level 2, and the edge has findings: one pixel more, as every broken edge
    assert edges[T]["baseWidth"] == COOPERATION_WIDTH[2] + 1.0
    assert "Kooperationsqualität: Stufe 2" in edges[T]["title"]
    assert "Datenschutz: Unterlagen · ohne Grundlage" in edges[T]["title"]
    # not assessed: the width of its kind
    assert edges["selm-fbs-kita"]["baseWidth"] == EDGE_STYLE["information"][1] + 1.0
    page = map_html(scene)
    assert "Kooperationsqualität (Liniendicke, wo eingeschätzt)" in page
    assert "Stufe 5 „Gemeinsam gestaltet“" in page
    labels = [h.get_label() for h in legend_handles(scene)]
    assert "Kooperation Stufe 1" in labels and "Kooperation Stufe 5" in labels
    lunen = {e["id"]: e for e in map_data(quarter_scene(kreis, "luenen-sued", DAY))["edges"]}
    assert lunen["luenen-familienzentrum-grundschule"]["baseWidth"] == COOPERATION_WIDTH[4]


def test_maps_without_assessments_keep_their_legend() -> None:
    scene = quarter_scene(load_seed("brunnenstrasse"), "brunnenstrasse", DAY)
    assert "Kooperationsqualität (Liniendicke" not in map_html(scene)
    assert not [h for h in legend_handles(scene) if "Kooperation" in h.get_label()]


def test_werkstatt_form_edits_data_protection_and_transfer_fields(tmp_path: Path) -> None:
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("kreis-unna"), "test")
    client = werkstatt(repo, tmp_path, auth=False)
    page = client.get(f"/bearbeiten/uebergaenge/{T}").text
    assert "Was geht bei der Übergabe weiter?" in page and "Stolpersteine" in page
    form = form_of(page)
    assert form["data_protection.passes"] == "documents"
    assert "Absprache hängt an der früheren Schulleitung" in form["pitfalls"]
    form["data_protection.basis"] = ["written_consent", "confidentiality_waiver"]
    form["success_factors"] = "Gemeinsamer Elternabend\nHospitation in der Kita"
    r = client.post(f"/bearbeiten/uebergaenge/{T}", data=form)
    assert r.status_code in (200, 303), r.text[:500]
    t = repo.load().transition_index[T]
    assert t.data_protection is not None
    assert [b.value for b in t.data_protection.basis] == ["written_consent",
                                                           "confidentiality_waiver"]
    assert t.success_factors == ["Gemeinsamer Elternabend", "Hospitation in der Kita"]
    assert [a.level for a in t.cooperation] == [3, 3, 2]  # not on the form: kept
    assert "HANDOVER_WITHOUT_BASIS" not in {f.code for f in check(repo.load(), DAY)}
    # nothing chosen: no data-protection entry at all
    form = form_of(client.get("/bearbeiten/uebergaenge/selm-fbs-kita").text)
    assert form.get("data_protection.passes", "") == ""
    assert client.post("/bearbeiten/uebergaenge/selm-fbs-kita", data=form).status_code in (
        200, 303)
    assert repo.load().transition_index["selm-fbs-kita"].data_protection is None
