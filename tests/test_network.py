"""The Network aggregate: every rule fires where it must and stays quiet otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from graph.catalogue import Catalogue, FieldOfAction, LifeStage
from graph.errors import InvalidNetworkError, NotFoundError
from graph.model import Agreement, ReferralFlow, Service, Transition
from graph.property_graph import stage_node, to_networkx, transition_graph
from tests.conftest import mini_network


def problems_of(**overrides: object) -> list[str]:
    with pytest.raises(InvalidNetworkError) as info:
        mini_network(**overrides)
    return [str(p) for p in info.value.problems]


def test_valid_mini_network(mini):
    assert [s.id for s in mini.services] == ["babylotsen", "hebamme", "kita"]
    assert mini.get("services", "kita").name == "Kita"


def test_duplicate_ids_across_kinds():
    base = mini_network()
    msgs = problems_of(services=[*base.services, Service(
        id="awo", name="Doppelt", provider="awo", quarters=["q"], life_stages=["toddler"],
        fields=["education"])])
    assert msgs == ["Angebot 'awo', Feld 'id': Die Kennung 'awo' ist doppelt vergeben "
                    "(schon als Träger); Kennungen müssen im ganzen Netzwerk eindeutig sein."]


def test_unknown_references_are_all_reported_with_suggestions():
    base = mini_network()
    services = [s.model_copy(update={"provider": "klinikk"}) if s.id == "babylotsen" else s
                for s in base.services]
    transitions = [*base.transitions, Transition(id="t3", source="kita", target="schule",
                                                 owner="ja", agreements=["a9"])]
    msgs = problems_of(services=services, transitions=transitions)
    assert "Angebot 'babylotsen', Feld 'provider': Träger 'klinikk' ist unbekannt. " \
           "Meinten Sie 'klinik'?" in msgs
    assert any("Übergang 't3', Feld 'target': Angebot 'schule' ist unbekannt" in m for m in msgs)
    assert any("Übergang 't3', Feld 'agreements': Vereinbarung 'a9' ist unbekannt" in m
               for m in msgs)
    assert len(msgs) == 3


def test_unknown_life_stage_and_field():
    base = mini_network()
    services = [*base.services, Service(id="x", name="X", provider="awo", quarters=["q"],
                                        life_stages=["todler"], fields=["sport"])]
    msgs = problems_of(services=services)
    assert "Angebot 'x', Feld 'life_stages': Lebensphase 'todler' ist unbekannt. " \
           "Meinten Sie 'toddler'?" in msgs
    assert any(m.startswith("Angebot 'x', Feld 'fields': Handlungsfeld 'sport' ist unbekannt")
               for m in msgs)


def test_dates_must_be_ordered():
    msgs = problems_of(agreements=[Agreement(
        id="a1", name="A", kind="kkg_3", parties=["ja"], valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2024, 1, 1))])
    assert msgs == ["Vereinbarung 'a1', Feld 'valid_until': 'valid_until' (01.01.2024) liegt "
                    "vor 'valid_from' (01.01.2025)."]


def test_referral_flow_arrived_not_above_referred():
    msgs = problems_of(referral_flows=[ReferralFlow(
        transition="t1", period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        referred=10, arrived=12)])
    assert msgs == ["Vermittlungszahlen 't1@2025-01-01', Feld 'arrived': Angekommen (12) ist "
                    "mehr als vermittelt (10)."]


def test_backwards_transition_needs_marking():
    base = mini_network()
    back = Transition(id="t9", source="kita", target="babylotsen", owner="awo")
    msgs = problems_of(transitions=[*base.transitions, back])
    assert len(msgs) == 1 and "führt im Lebenslauf zurück" in msgs[0]
    marked = back.model_copy(update={"backwards": True})
    assert mini_network(transitions=[*base.transitions, marked]).transitions[-1].backwards


def test_overlapping_stages_are_not_backwards():
    base = mini_network()
    kita_school = Service(id="gs", name="Grundschule", provider="awo", quarters=["q"],
                          life_stages=["school_entry", "primary_school"], fields=["education"])
    kita = base.services[2].model_copy(update={"life_stages": ["preschool", "school_entry"]})
    net = mini_network(services=[*base.services[:2], kita, kita_school],
                       transitions=[*base.transitions,
                                    Transition(id="t3", source="gs", target="kita", owner="awo")])
    assert len(net.transitions) == 3


def test_self_loop_is_refused():
    base = mini_network()
    msgs = problems_of(transitions=[*base.transitions,
                                    Transition(id="t3", source="kita", target="kita")])
    assert msgs == ["Übergang 't3', Feld 'target': Ein Übergang muss zu einem anderen Angebot "
                    "führen."]


def test_field_level_errors_are_german():
    with pytest.raises(ValidationError):
        Service(id="bad id", name="x", provider="p", quarters=["q"], life_stages=["birth"],
                fields=["health"])
    s = Service(id="s", name="S", provider="p", quarters=["q"], life_stages=["birth"],
                fields=["health"], valid_from="01.02.2025")
    assert s.valid_from == dt.date(2025, 2, 1)


def test_custom_catalogue_replaces_default():
    cat = Catalogue(life_stages=[LifeStage(id="u2", name="0–2", from_months=0, to_months=24),
                                 LifeStage(id="u4", name="2–4", from_months=24, to_months=48)],
                    fields=[FieldOfAction(id="bildung", name="Bildung")])
    base = mini_network()
    services = [s.model_copy(update={"life_stages": ["u2"], "fields": ["bildung"]})
                for s in base.services]
    net = mini_network(catalogue=cat, services=services)
    assert net.catalogue.stage_order("u4") == 1
    msgs = problems_of(catalogue=cat)  # default stages are unknown in this catalogue
    assert any("Lebensphase 'birth' ist unbekannt" in m for m in msgs)


def test_find_quarter_by_name_and_suggestion(mini):
    assert mini.find_quarter("brunnenstraßenviertel").id == "q"
    with pytest.raises(NotFoundError, match="Meinten Sie 'Brunnenstraßenviertel'"):
        mini.find_quarter("Brunenstraßenviertel")


def test_restricted_to_keeps_only_what_the_quarter_needs():
    from seeds import load_seed

    net = load_seed("dortmund")
    hoerde = net.restricted_to(["hoerde"])
    assert [q.id for q in hoerde.quarters] == ["hoerde"]
    assert all(s.quarters == ["hoerde"] for s in hoerde.services)
    assert {d.id for d in hoerde.districts} == {"bezirk-hoerde"}
    assert "gs-kleine-kielstrasse" not in hoerde.provider_index


def test_property_graph_is_typed(mini):
    g = to_networkx(mini)
    assert g.nodes["kita"]["type"] == "service"
    assert g.nodes["awo"]["type"] == "provider"
    assert g.nodes[stage_node("birth")]["type"] == "life_stage"
    edge_types = {d["type"] for _, _, d in g.edges(data=True)}
    assert edge_types == {"TRANSITION", "PROVIDED_BY", "IN_QUARTER", "COVERS_STAGE",
                          "IN_FIELD", "PARTY_TO", "IN_DISTRICT", "IN_MUNICIPALITY"}
    assert g.edges["babylotsen", "hebamme", "t1"]["owner"] == "klinik"
    chain = transition_graph(mini)
    assert sorted(chain.edges(keys=True)) == [("babylotsen", "hebamme", "t1"),
                                              ("hebamme", "kita", "t2")]
