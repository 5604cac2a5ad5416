"""The questions partners ask: ownership, the navigator, indicators, comparison, what-if."""

from __future__ import annotations

import pytest

from graph.errors import NotFoundError
from lotsen.compare import compare, link_matrix
from lotsen.impact import impact
from lotsen.indicators import quarter_indicators, rollup
from lotsen.navigator import language_code, next_services
from lotsen.ownership import (
    find_transition,
    owned_by,
    owner_of,
    responsibility_table,
    unowned,
)
from seeds import load_seed
from tests.chains import AS_OF, build, chain_data, clean_chain, transition


@pytest.fixture(scope="module")
def dortmund():
    return load_seed("dortmund")


# -- ownership ---------------------------------------------------------------------------


def test_owner_by_id_and_by_names(dortmund):
    row = owner_of(dortmund, "kita-bornstrasse-grundschule", AS_OF)
    assert row.owner_name == "TEK Bornstraße 52"
    assert row.status == "abgelaufen"
    # ß and ss are the same to a person typing a name
    t = find_transition(dortmund, "TEK Bornstrasse 52", "Grundschule Kleine Kielstrasse")
    assert t.id == "kita-bornstrasse-grundschule"
    t = find_transition(dortmund, "TEK Bornstraße 52", "grundschule-kleine-kielstrasse",
                        quarter="Brunnenstraßen-/Hannibalviertel")
    assert t.id == "kita-bornstrasse-grundschule"


def test_owner_unknown_names_suggest(dortmund):
    with pytest.raises(NotFoundError, match="Meinten Sie 'TEK Bornstraße 52'"):
        find_transition(dortmund, "TEK Bornstr 52", "Grundschule Kleine Kielstraße")
    with pytest.raises(NotFoundError, match="Übergang 'babylotsen-hebammen' ist unbekannt"):
        owner_of(dortmund, "babylotsen-hebammen", AS_OF)


def test_transitions_of_a_provider_and_unowned(dortmund):
    rows = owned_by(dortmund, "AWO Unterbezirk Dortmund", AS_OF)
    assert {r.transition for r in rows} == {
        "griffbereit-kinderstube", "kita-sozialarbeit-schulsozialarbeit",
        "schulsozialarbeit-familiengrundschulzentrum", "griffbereit-kita-hoerde"}
    assert [r.transition for r in unowned(dortmund, as_of=AS_OF)] == [
        "kita-familienzentrum-grundschule"]
    assert unowned(dortmund, "hoerde", AS_OF) == []


def test_responsibility_table_of_a_quarter(dortmund):
    rows = responsibility_table(dortmund, "hoerde", AS_OF)
    by_id = {r.transition: r for r in rows}
    assert by_id["kita-hoerde-grundschule"].agreement_names == (
        "Übergabeprotokoll Kita → Grundschule Hörde",)
    assert by_id["kita-hoerde-grundschule"].valid_until is not None
    assert by_id["babylotsen-willkommensbesuch-hoerde"].status == "läuft bald aus"
    assert all(r.owner_signed for r in rows)


# -- navigator -----------------------------------------------------------------------------


def test_navigator_prefers_the_familys_language_and_shows_the_path(dortmund):
    answer = next_services(dortmund, "brunnenstrasse", 30, "Arabisch", as_of=AS_OF)
    first = answer.suggestions[0]
    assert first.speaks_family_language and first.current_stage and first.path
    assert first.path[-1].target == first.service
    for step in first.path:
        assert step.owner_name or step.owner is None
    assert answer.finding is None


def test_navigator_language_without_offer_gives_a_note(dortmund):
    answer = next_services(dortmund, "hoerde", 84, "pl", as_of=AS_OF)
    assert answer.notes and "Polnisch" in answer.notes[0]
    assert answer.suggestions  # the German-only school is still listed


def test_navigator_says_plainly_when_the_chain_has_no_answer(dortmund):
    answer = next_services(dortmund, "hoerde", 80, needs=["Gesundheit"], as_of=AS_OF)
    assert answer.suggestions == []
    assert answer.finding is not None and answer.finding.code == "NO_NEXT_SERVICE"
    assert "keine Antwort" in answer.finding.message


def test_navigator_gap_in_current_stage(dortmund):
    answer = next_services(dortmund, "Libellenquartier", 24, as_of=AS_OF)
    assert any("aktuelle Lebensphase" in n for n in answer.notes)
    assert all(not s.current_stage for s in answer.suggestions)


def test_navigator_from_the_current_service(dortmund):
    answer = next_services(dortmund, "brunnenstrasse", 20, current_service="Willkommensbesuch",
                           as_of=AS_OF)
    kinderstube = next(s for s in answer.suggestions if s.service == "kinderstube-brunnen")
    assert kinderstube.path is not None
    assert [r.transition for r in kinderstube.path] == ["willkommensbesuch-kinderstube"]
    assert kinderstube.path[0].status == "keine Vereinbarung"


def test_language_names():
    assert language_code("Arabisch") == "ar" and language_code("tr") == "tr"
    with pytest.raises(NotFoundError, match="Meinten Sie 'Arabisch'"):
        language_code("Arabish")


# -- indicators ----------------------------------------------------------------------------


def test_indicators_of_a_clean_chain():
    ind = quarter_indicators(clean_chain(), "q", AS_OF)
    assert (ind.stage_coverage, ind.binding_share, ind.continuity) == (1.0, 1.0, 1.0)
    assert ind.pearls == 0 and ind.expiring_agreements == 0 and ind.loss_rate is None


def test_indicators_count_what_is_broken():
    data = chain_data()
    transition(data, "A0-A1")["agreements"] = []
    ind = quarter_indicators(build(data), "q", AS_OF)
    assert ind.transitions_total == 12 and ind.transitions_binding == 11


def test_rollup_counts_shared_transitions_once(dortmund):
    quarters = [quarter_indicators(dortmund, q.id, AS_OF) for q in dortmund.quarters]
    (city,) = rollup(dortmund, "municipality", AS_OF)
    assert city.stages_total == sum(q.stages_total for q in quarters)
    shared = {t for q in quarters for t in q.binding}
    assert city.transitions_total == len(shared) < sum(q.transitions_total for q in quarters)
    assert city.referred == 64 + 38 + 42
    districts = rollup(dortmund, "district", AS_OF)
    assert sorted(d.name for d in districts) == ["Hörde", "Innenstadt-Nord (Nordstadt)"]
    assert {q for d in districts for q in d.quarters} == {q.id for q in dortmund.quarters}


def test_capacity_per_100_children(dortmund):
    ind = quarter_indicators(dortmund, "brunnenstrasse", AS_OF)
    per_100 = ind.capacity_per_100()
    # the Kitas share their places among their stages pro rata by months (issue 13):
    # TEK 75 places over 3–6.5 years (36 of 42 months), kath. FZ 60 over 1–6.5 (36 of 66)
    assert per_100["preschool"] == pytest.approx(100 * (75 * 36 / 42 + 60 * 36 / 66) / 144)


# -- comparison and what-if ----------------------------------------------------------------


def test_compare_lists_links_one_quarter_lacks(dortmund):
    result = compare(dortmund, "brunnenstrasse", "Hörde", AS_OF)
    only_brunnen = [e for link in result.only_in_first for e in link.examples["brunnenstrasse"]]
    assert "TEK Bornstraße 52 → Sprachschule (Sprachförderung vor der Einschulung)" \
        in only_brunnen
    shared = [link.label for link in result.shared]
    assert "Übergang Kita–Grundschule · Bildung → Grundschulalter (6–10 Jahre) · Bildung" \
        in shared
    matrix = link_matrix(dortmund, as_of=AS_OF)
    assert all(link.examples for link in matrix)


def test_impact_of_a_leaving_provider(dortmund):
    result = impact(dortmund, provider="Evangelische Familienbildung Dortmund", as_of=AS_OF)
    assert result.removed_services == ("eltern-kind-gruppe-hoerde",)
    codes = {f.code for f in result.appeared}
    assert "TARGET_INACTIVE" in codes  # the welcome visit still refers families there
    assert {f.code for f in result.resolved} >= {"REDUNDANT"}


def test_impact_of_an_ending_service_on_a_clean_chain():
    result = impact(clean_chain(), service="A3", as_of=AS_OF)
    assert {f.code for f in result.appeared} >= {"TARGET_INACTIVE", "SINGLE_POINT"}
    assert result.resolved == []
    with pytest.raises(NotFoundError):
        impact(clean_chain(), service="Z9", as_of=AS_OF)


def test_what_if_leaves_accepted_findings_hidden_as_every_surface_does():
    """„Was wäre, wenn“ names the findings that would appear in the open list: one the
    network marked „geprüft, bewusst so“ is not new, before or after (issue 26.4)."""
    import datetime as dt

    from graph.model import AcceptedFinding
    from lotsen.impact import impact
    from seeds import load_seed

    net, day = load_seed("brunnenstrasse"), dt.date(2026, 11, 22)
    plain = impact(net, service="kita-bornstrasse", as_of=day)
    key = plain.appeared[0].stable_key
    kept = net.with_sections(accepted_findings=[AcceptedFinding(
        key=key, reason="bewusst so", by="Koordination", on=day)])
    marked = impact(kept, service="kita-bornstrasse", as_of=day)
    assert key not in {f.stable_key for f in marked.appeared}
    assert len(marked.appeared) == len(plain.appeared) - 1
