"""Issue 13: the rules made precise (each test failed before the rule changed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lotsen.check import check
from lotsen.findings import Finding, Severity
from lotsen.indicators import quarter_indicators
from tests.chains import AS_OF, build, chain_data, drop_transition, service, transition


def run(data: dict[str, Any]) -> list[Finding]:
    return check(build(data), AS_OF)


def codes(data: dict[str, Any]) -> list[str]:
    return [f.code for f in run(data)]


def social(data: dict[str, Any], **fields: Any) -> None:
    data["quarters"][0]["social_data"] = [{"year": 2025, **fields}]


# -- 1. parallel offers: a framework agreement is no coordination ----------------------

def parallel(data: dict[str, Any]) -> None:
    for sid in ("A3", "B3"):  # providers p2 and p4
        service(data, sid)["target_groups"] = ["Eltern mit Kleinkindern"]


def add_agreement(data: dict[str, Any], kind: str, parties: list[str]) -> None:
    data["agreements"].append({"id": f"rahmen-{len(data['agreements'])}", "name": "Rahmen",
                               "kind": kind, "parties": parties, "valid_from": "2020-01-01"})


def test_kkg_network_agreement_does_not_coordinate_parallel_offers():
    data = chain_data()
    parallel(data)
    add_agreement(data, "kkg_3", ["p1", "p2", "p3", "p4"])
    assert "REDUNDANT" in codes(data)


def test_many_party_cooperation_does_not_coordinate_but_a_setting_does():
    data = chain_data()
    parallel(data)
    data["providers"].append({"id": "p5", "name": "Verein", "kind": "association"})
    add_agreement(data, "cooperation_contract", ["p1", "p2", "p3", "p4", "p5"])
    assert "REDUNDANT" in codes(data)
    data = chain_data()
    parallel(data)
    add_agreement(data, "cooperation_contract", ["p2", "p4"])
    assert "REDUNDANT" not in codes(data)


# -- 2. capacity has a unit ------------------------------------------------------------

def test_school_intake_per_year_is_measured_against_the_yearly_cohort():
    data = chain_data()
    social(data, children_by_stage={"primary_school": 200})  # 4 years × 50
    service(data, "A6")["capacity_per_year"] = 30
    service(data, "B6")["capacity_per_year"] = 25  # 55 starts a year for 50 a year
    assert "CAPACITY_GAP" not in codes(data)
    service(data, "A6")["capacity_unit"] = "places"  # 30 places + 25 starts: too few
    (gap,) = [f for f in run(data) if f.code == "CAPACITY_GAP"]
    assert "30 Plätze gleichzeitig für 200 Kinder" in gap.message


def test_demand_is_derived_from_births_pro_rata_and_said_so():
    data = chain_data()
    social(data, births_per_year=60)  # no count per stage
    for sid in ("A3", "B3"):
        service(data, sid).update(capacity_per_year=40, capacity_unit="places")
    (gap,) = [f for f in run(data) if f.code == "CAPACITY_GAP"]
    assert gap.ids == ("q", "toddler")  # 80 places for 120 children aged 1–3
    assert "80 Plätze gleichzeitig für 120 Kinder" in gap.message
    assert "geschätzt aus 60 Geburten" in gap.message


def test_a_service_over_several_stages_shares_its_places():
    data = chain_data()
    social(data, children_by_stage={"toddler": 100, "preschool": 150})
    service(data, "A3").update(life_stages=["toddler", "preschool"], capacity_per_year=200,
                               capacity_unit="places")
    found = {f.ids for f in run(data) if f.code == "CAPACITY_GAP"}
    # 200 places over 1–6 years: 80 for toddlers, 120 for 3–6: both short
    assert found == {("q", "toddler"), ("q", "preschool")}


# -- 3. chain continuity across empty stages -------------------------------------------

def test_an_empty_stage_does_not_excuse_a_missing_path():
    data = chain_data()
    for sid in ("A3", "B3"):
        service(data, sid)["status"] = "ended"
    found = [f for f in run(data) if f.code in ("STAGE_GAP", "CHAIN_BREAK")]
    assert sorted(f.ids for f in found) == [("q", "infant", "preschool"), ("q", "toddler")]
    brk = next(f for f in found if f.code == "CHAIN_BREAK")
    assert "Kleinkindalter" in brk.message  # names the empty stage between


def test_a_path_around_an_empty_stage_joins_it():
    data = chain_data()
    for sid in ("A3", "B3"):
        service(data, sid)["status"] = "ended"
    data["transitions"].append({"id": "A2-A4", "source": "A2", "target": "A4",
                                "owner": "p1", "agreements": ["vertrag-a"]})
    assert "CHAIN_BREAK" not in codes(data)


# -- 4. language breaks ----------------------------------------------------------------

def arabic_source(data: dict[str, Any]) -> None:
    service(data, "A0")["languages"] = ["de", "ar", "tr"]


def test_no_language_break_for_languages_nobody_in_the_quarter_speaks():
    data = chain_data()
    arabic_source(data)
    assert "LANGUAGE_BREAK" not in codes(data)
    social(data, main_languages=["de", "ar"])
    (f,) = [f for f in run(data) if f.code == "LANGUAGE_BREAK"]
    assert "Arabisch" in f.message and "Türkisch" not in f.message


def test_target_group_naming_the_language_counts():
    data = chain_data()
    arabic_source(data)
    service(data, "A0")["target_groups"] = ["Arabischsprachige Familien"]
    assert codes(data).count("LANGUAGE_BREAK") == 1


def test_no_language_break_with_mediation_or_into_a_language_bridge():
    data = chain_data()
    arabic_source(data)
    social(data, main_languages=["ar", "tr"])
    transition(data, "A0-A1")["language_mediation"] = True
    assert "LANGUAGE_BREAK" not in codes(data)
    data = chain_data()
    arabic_source(data)
    social(data, main_languages=["ar", "tr"])
    service(data, "A1")["language_bridge"] = True
    assert "LANGUAGE_BREAK" not in codes(data)


def test_one_language_break_per_transition_naming_the_languages():
    data = chain_data()
    arabic_source(data)
    social(data, main_languages=["ar", "tr"])
    (f,) = [f for f in run(data) if f.code == "LANGUAGE_BREAK"]
    assert "Arabisch, Türkisch" in f.message


# -- 5. kind and scope -----------------------------------------------------------------

def test_information_only_needs_no_binding_agreement():
    data = chain_data()
    transition(data, "A0-A1").update(kind="information", agreements=[])
    (f,) = [f for f in run(data) if f.code == "NO_AGREEMENT"]
    assert f.severity is Severity.LOW
    data["agreements"].append({"id": "absprache", "name": "Absprache", "kind": "informal",
                               "parties": ["p1", "p2"], "binding": False})
    transition(data, "A0-A1")["agreements"] = ["absprache"]
    assert "INFORMAL_ONLY" not in codes(data)


def test_a_handover_within_one_provider_is_internal():
    data = chain_data()
    service(data, "A1")["provider"] = "p1"
    transition(data, "A0-A1")["agreements"] = []
    assert "NO_AGREEMENT" not in codes(data)
    data["agreements"].append({"id": "absprache", "name": "Absprache", "kind": "informal",
                               "parties": ["p1"], "binding": False})
    transition(data, "A0-A1")["agreements"] = ["absprache"]
    assert "INFORMAL_ONLY" not in codes(data)


# -- 6. single points ------------------------------------------------------------------

def test_single_point_once_per_stage_naming_the_service():
    data = chain_data()
    service(data, "B3")["status"] = "ended"
    found = [f for f in run(data) if f.code == "SINGLE_POINT"]  # one note per quarter
    assert len(found) == 1 and found[0].ids == ("q",)
    assert "„Kleinkindalter (1–3 Jahre, U3)“ allein an „Angebot A3“" in found[0].message


def test_single_point_of_a_provider_names_its_services():
    data = chain_data()
    service(data, "B3")["provider"] = "p2"  # A3 and B3 both run by p2
    (f,) = [f for f in run(data) if f.code == "SINGLE_POINT"]
    assert f.ids == ("q",) and "„Kleinkindalter (1–3 Jahre, U3)“ allein am Träger" in f.message
    assert "Kita-Träger" in f.message
    assert "„Angebot A3“" in f.message and "„Angebot B3“" in f.message


def test_no_single_point_where_families_do_not_need_the_stage():
    data = chain_data()
    service(data, "B0")["status"] = "ended"
    drop_transition(data, "B0-B1")
    assert "SINGLE_POINT" in codes(data)
    social(data, children_by_stage={"pregnancy": 0}, births_per_year=50)
    assert "SINGLE_POINT" not in codes(data)


def test_no_single_point_repeats_a_stage_gap_or_chain_break():
    data = chain_data()
    for sid in ("A3", "B3"):
        service(data, sid)["status"] = "ended"
    assert "SINGLE_POINT" not in codes(data)


# -- 7. a service in several quarters; indicators agree --------------------------------

def two_quarters(data: dict[str, Any]) -> None:
    data["quarters"].append({"id": "q2", "name": "Nachbarviertel", "district": "d"})
    data["services"].append({"id": "X", "name": "Angebot X", "provider": "p1",
                             "quarters": ["q", "q2"], "life_stages": ["preschool"],
                             "fields": ["health"]})


def test_a_service_in_several_quarters_gives_one_finding_listing_them():
    data = chain_data()
    two_quarters(data)
    net = build(data)
    (pearl,) = [f for f in check(net, AS_OF) if f.code == "PEARL"]
    assert pearl.ids == ("X",) and pearl.quarters == ("q", "q2")
    assert pearl.message.startswith("In den Quartieren Musterviertel und Nachbarviertel: ")
    for q in ("q", "q2"):
        part = [f for f in check(net, AS_OF, quarters=[q]) if f.code == "PEARL"]
        assert part == [pearl]


def test_continuity_is_below_one_when_a_dead_end_exists():
    data = chain_data()
    assert quarter_indicators(build(data), "q", AS_OF).continuity == 1.0
    drop_transition(data, "A3-A4")
    net = build(data)
    assert "DEAD_END" in [f.code for f in check(net, AS_OF)]
    assert quarter_indicators(net, "q", dt.date(2026, 11, 22)).continuity == 5 / 6


def test_a_capacity_just_below_the_need_says_so_and_counts_a_family() -> None:
    """Kreis Unna, Selm-Mitte, Kleinkindalter: 109 places for 190 children and 40 starts for
    95 cover 99.5 % – the finding must not say „deckt 100%“ nor „betrifft etwa 0
    Familien“ (it did: rounded up, and rounded down)."""
    from seeds import load_seed

    net = load_seed("kreis-unna")
    (gap,) = [f for f in check(net, dt.date(2026, 11, 22), quarters=["selm-mitte"])
              if f.code == "CAPACITY_GAP" and f.ids[-1] == "toddler"]
    assert "das deckt 99% des Bedarfs" in gap.message
    assert gap.families is not None and gap.families >= 1
