"""Findings, round 3 (issue 28.2–28.6): one planning note for single points, the language
nobody offers, a fair Ampel, words that agree, families capped by the target."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings

from graph.model import Agreement, Quarter, Service, SocialData, Transition
from lotsen.ampel import traffic_light
from lotsen.check import check
from lotsen.findings import CODES, Finding, Severity
from lotsen.ownership import responsibility_table
from seeds import load_seed
from tests.conftest import AS_OF, mini_network
from tests.strategies import networks


def _codes(net, code, quarter=None):
    return [f for f in check(net, AS_OF, quarters=[quarter] if quarter else None)
            if f.code == code]


# -- 28.2 single points


def test_single_point_is_one_low_note_per_quarter_naming_stages_and_links():
    net = load_seed("kreis-unna")
    for q in net.quarters:
        notes = _codes(net, "SINGLE_POINT", q.id)
        assert len(notes) <= 1
    (note,) = _codes(net, "SINGLE_POINT", "selm-mitte")
    assert note.severity is Severity.LOW and CODES["SINGLE_POINT"][0] is Severity.LOW
    assert note.stable_key == "SINGLE_POINT/selm-mitte"
    assert "„Übergang Kita–Grundschule“ allein an „Kita in Selm-Mitte“" in note.message
    assert "Lebensphasen:" in note.message and "Hinweis für die Planung" in note.message


def _with_pearl(net, quarter, stage):
    pearl = Service(id="zz-neu", name="Neues Angebot ohne Übergang", provider=net.providers[0].id,
                    quarters=[quarter], life_stages=[stage], fields=["health"])
    return net.model_copy(update={"services": [*net.services, pearl]})


def test_an_unconnected_offer_changes_no_single_point():
    """The coordinator's case: adding an offer without any transition made two
    SINGLE_POINT findings, deleting it „fixed“ them."""
    net = load_seed("kreis-unna")
    for q in net.quarters:
        before = _codes(net, "SINGLE_POINT", q.id)
        for stage in ("pregnancy", "toddler", "school_entry", "primary_school"):
            after = _codes(_with_pearl(net, q.id, stage), "SINGLE_POINT", q.id)
            assert [f.to_dict() for f in after] == [f.to_dict() for f in before], (q.id, stage)


@settings(max_examples=40)
@given(net=networks(max_services=7))
def test_single_points_are_stable_and_at_most_one_per_quarter(net):
    from tests.strategies import STAGES

    for q in net.quarters:
        before = _codes(net, "SINGLE_POINT", q.id)
        assert len(before) <= 1 and all(f.severity is Severity.LOW for f in before)
        after = _codes(_with_pearl(net, q.id, STAGES[len(net.services) % len(STAGES)]),
                       "SINGLE_POINT", q.id)
        assert [f.to_dict() for f in after] == [f.to_dict() for f in before]


# -- 28.3 the language nobody offers


def _arabic_quarter(**service_changes):
    net = mini_network()
    q = net.quarters[0].model_copy(update={"social_data": [SocialData(
        year=2025, births_per_year=50, main_languages=["de", "ar"], migrant_share=0.6)]})
    services = [s.model_copy(update=service_changes.get(s.id, {})) for s in net.services]
    return net.model_copy(update={"quarters": [q], "services": services})


def test_a_main_language_no_offer_speaks_is_found_once_naming_the_stages():
    net = _arabic_quarter()
    (f,) = _codes(net, "LANGUAGE_NOT_COVERED")
    assert f.stable_key == "LANGUAGE_NOT_COVERED/q/ar" and f.severity is Severity.MEDIUM
    assert "Arabisch" in f.message
    for stage in ("Geburt und erste Wochen", "Säuglingsalter", "Kita-Alter"):
        assert stage in f.message
    assert not [x for x in _codes(net, "LANGUAGE_BREAK")]  # no source speaks it


def test_an_offer_speaking_it_or_a_mediated_hand_over_covers_its_stage():
    net = _arabic_quarter(babylotsen={"languages": ["de", "ar"]})
    (f,) = _codes(net, "LANGUAGE_NOT_COVERED")
    assert "Geburt und erste Wochen" not in f.message and "Kita-Alter" in f.message
    mediated = net.model_copy(update={"transitions": [
        t.model_copy(update={"language_mediation": True}) for t in net.transitions]})
    # babylotsen speaks it, hebamme and kita are reached with mediation
    assert _codes(mediated, "LANGUAGE_NOT_COVERED") == []
    everyone = _arabic_quarter(**{s: {"languages": ["de", "ar"]}
                                  for s in ("babylotsen", "hebamme", "kita")})
    assert _codes(everyone, "LANGUAGE_NOT_COVERED") == []


# -- 28.4 a fair Ampel


def _f(code):
    return Finding.make(code, ("x",), ("q",), "…", "…")


def test_the_ampel_is_yellow_for_any_open_medium_finding_and_says_why():
    """Holzwickede was green with six open findings, a language break and a falling
    cooperation quality among them."""
    light = traffic_light([_f("LANGUAGE_BREAK"), _f("COOPERATION_FALLING"), _f("PEARL"),
                           _f("SINGLE_POINT"), _f("REDUNDANT"), _f("INFORMAL_ONLY")])
    assert light.colour == "gelb"
    assert "4 mittlere offene Befunde" in light.reason and "LANGUAGE_BREAK" in light.reason
    assert "2 Hinweise zählen nicht" in light.reason
    assert traffic_light([_f("SINGLE_POINT"), _f("REDUNDANT")]).colour == "gruen"
    assert traffic_light([]).colour == "gruen"
    assert traffic_light([_f("NO_OWNER")]).colour == "gelb"
    red = traffic_light([_f("STAGE_GAP"), _f("NO_OWNER")])
    assert red.colour == "rot" and "STAGE_GAP" in red.reason and "NO_OWNER" not in red.reason


# -- 28.5 words that agree


def test_an_information_only_hand_over_does_not_ask_for_a_binding_agreement():
    net = mini_network()
    net = net.model_copy(update={"transitions": [
        Transition(id="t1", source="babylotsen", target="hebamme", kind="information",
                   owner="klinik")]})
    (f,) = _codes(net, "NO_AGREEMENT")
    assert f.severity is Severity.LOW and "nicht nötig" in f.message
    assert "verbindliche Vereinbarung" not in f.next_step.replace(
        "eine verbindliche Vereinbarung ist nicht nötig", "")


def test_an_expired_agreement_shows_its_end_date():
    net = mini_network(agreements=[Agreement(
        id="a1", name="Netzwerk Frühe Hilfen", kind="kkg_3", parties=["klinik", "ja", "awo"],
        valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2025, 12, 31))])
    rows = responsibility_table(net, "q", AS_OF)
    assert {r.status for r in rows} == {"abgelaufen"}
    assert {r.valid_until for r in rows} == {dt.date(2025, 12, 31)}


def test_starts_per_year_are_not_called_places():
    net = mini_network()
    q = net.quarters[0].model_copy(update={"social_data": [SocialData(
        year=2025, births_per_year=50)]})
    services = [s.model_copy(update={"capacity_per_year": 10, "capacity_unit": "starts"})
                if s.id == "babylotsen" else s for s in net.services]
    net = net.model_copy(update={"quarters": [q], "services": services})
    gap = next(f for f in _codes(net, "CAPACITY_GAP") if f.ids[1] == "birth")
    assert "10 Aufnahmen im Jahr" in gap.message and "Plätze" not in gap.message


# -- 28.6 families capped by what the target can take


def test_families_of_a_hand_over_are_capped_by_the_target_capacity():
    net = mini_network(quarters=[Quarter(id="q", name="Brunnenstraßenviertel", district="nord",
                                         social_data=[SocialData(year=2025,
                                                                 births_per_year=460)])])
    services = [s.model_copy(update={"capacity_per_year": 60, "capacity_unit": "starts"})
                if s.id == "hebamme" else s for s in net.services]
    net = net.model_copy(update={"services": services, "transitions": [
        t.model_copy(update={"owner": None}) if t.id == "t1" else t for t in net.transitions]})
    (f,) = [x for x in _codes(net, "NO_OWNER") if x.ids == ("t1",)]
    assert f.families == 60
