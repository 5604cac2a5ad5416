"""Every finding kind: a chain where it must fire and a near miss where it must not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lotsen.check import check
from lotsen.findings import CODES, Finding, Severity
from lotsen.settings import AnalysisSettings
from seeds.synthetic import DEFECT_KINDS, generate
from tests.chains import (
    AS_OF,
    build,
    chain_data,
    clean_chain,
    drop_transition,
    own_agreement,
    service,
    transition,
)

Change = Callable[[dict[str, Any]], None]


def findings_of(change: Change | None = None, **settings: Any) -> list[Finding]:
    data = chain_data()
    if change is not None:
        change(data)
    return check(build(data), AS_OF, AnalysisSettings(**settings))


def test_clean_chain_has_no_finding():
    assert check(clean_chain(), AS_OF) == []


def set_in(getter: Callable[[dict[str, Any], str], dict[str, Any]], key: str,
           **values: Any) -> Change:
    return lambda data: getter(data, key).update(values)


def end_services(*ids: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        for sid in ids:
            service(data, sid)["status"] = "ended"
    return change


def drop(*tids: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        for tid in tids:
            drop_transition(data, tid)
    return change


def both(*changes: Change) -> Change:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)
    return change


def add_transition(tid: str, source: str, target: str, owner: str, agreement: str) -> Change:
    return lambda data: data["transitions"].append({
        "id": tid, "source": source, "target": target, "owner": owner,
        "agreements": [agreement]})


def add_service(sid: str, stage: str, provider: str = "p1") -> Change:
    return lambda data: data["services"].append({
        "id": sid, "name": f"Angebot {sid}", "provider": provider, "quarters": ["q"],
        "life_stages": [stage], "fields": ["health"]})


def social(children: dict[str, int]) -> Change:
    return lambda data: data["quarters"][0].update(
        {"social_data": [{"year": 2025, "children_by_stage": children}]})


def capacity(a: int, b: int) -> Change:
    return both(set_in(service, "A2", capacity_per_year=a),
                set_in(service, "B2", capacity_per_year=b), social({"infant": 50}))


def languages(*codes: str) -> Change:
    """Families of the quarter speak these languages (social data)."""
    return lambda data: data["quarters"][0].update(
        {"social_data": [{"year": 2025, "main_languages": ["de", *codes]}]})


def agreement(tid: str, **fields: Any) -> Change:
    return lambda data: own_agreement(data, tid, **fields)


def cooperation(before: int, now: int) -> Change:
    """Two assessments of A2 → A3's cooperation quality, a year apart."""
    return set_in(transition, "A2-A3", cooperation=[
        {"level": before, "on": "2025-05-01", "by": "Netzwerkkoordination"},
        {"level": now, "on": "2026-05-01", "by": "Netzwerkkoordination"}])


def flow(referred: int, arrived: int) -> Change:
    return lambda data: data.__setitem__("referral_flows", [{
        "transition": "A2-A3", "period_start": "2026-01-01", "period_end": "2026-06-30",
        "referred": referred, "arrived": arrived}])


def same_group() -> Change:
    return both(set_in(service, "A3", target_groups=["Eltern mit Kleinkindern"]),
                set_in(service, "B3", target_groups=["eltern mit kleinkindern"]))


# code: (change that must make it fire, ids it fires for, near miss that must not fire)
CASES: dict[str, tuple[Change, tuple[str, ...], Change]] = {
    "STAGE_GAP": (end_services("A3", "B3"), ("q", "toddler"), end_services("A3")),
    "CHAIN_BREAK": (drop("A2-A3", "B2-B3"), ("q", "infant", "toddler"), drop("A2-A3")),
    "CAPACITY_GAP": (capacity(10, 10), ("q", "infant"), capacity(30, 30)),
    "DEAD_END": (drop("A3-A4"), ("A3",),
                 both(drop("A3-A4"), add_transition("A3-B3", "A3", "B3", "p2", "vertrag-a"))),
    "UNREACHABLE": (drop("A2-A3"), ("A3",),
                    both(drop("A2-A3"), add_transition("B2-A3", "B2", "A3", "p3", "vertrag-b"))),
    "PEARL": (add_service("X", "preschool"), ("X",),
              both(add_service("X", "preschool"),
                   add_transition("X-A5", "X", "A5", "p1", "vertrag-a"),
                   add_transition("A3-X", "A3", "X", "p2", "vertrag-a"))),
    "NO_AGREEMENT": (set_in(transition, "A0-A1", agreements=[]), ("A0-A1",),
                     set_in(transition, "A0-A1", agreements=["vertrag-a", "vertrag-b"])),
    "INFORMAL_ONLY": (agreement("A0-A1", kind="informal", binding=False), ("A0-A1",),
                      agreement("A0-A1", kind="sgb8_8a")),
    "AGREEMENT_EXPIRED": (agreement("A0-A1", valid_until="2025-12-31"), ("A0-A1",),
                          agreement("A0-A1", valid_until="2027-12-31")),
    "AGREEMENT_EXPIRING": (agreement("A0-A1", valid_until="2026-12-22"), ("A0-A1",),
                           agreement("A0-A1", valid_until="2027-06-30")),
    "NO_OWNER": (set_in(transition, "A0-A1", owner=None), ("A0-A1",),
                 set_in(transition, "A0-A1", owner="p2")),
    "OWNER_NOT_PARTY": (agreement("A0-A1", parties=["p2"]), ("A0-A1",),
                        agreement("A0-A1", parties=["p2", "p1"])),
    "PERSON_DEPENDENT": (set_in(transition, "A0-A1", person_dependent=True), ("A0-A1",),
                         set_in(transition, "A0-A1", person_dependent=False)),
    "TARGET_INACTIVE": (set_in(service, "A3", valid_until="2025-06-30"), ("A2-A3",),
                        set_in(service, "A3", valid_until="2027-06-30")),
    "LANGUAGE_BREAK": (both(set_in(service, "A0", languages=["de", "ar"]), languages("ar")),
                       ("A0-A1",),
                       both(languages("ar"), *(set_in(service, f"A{k}", languages=["ar", "de"])
                                               for k in range(7)))),
    "HANDOFF_LOSS": (flow(20, 10), ("A2-A3",), flow(20, 15)),
    # issue 17 (more in tests/test_cooperation.py)
    "COOPERATION_FALLING": (cooperation(4, 3), ("A2-A3",), cooperation(3, 4)),
    "HANDOVER_WITHOUT_BASIS": (
        set_in(transition, "A2-A3", data_protection={"passes": "documents"}), ("A2-A3",),
        set_in(transition, "A2-A3", data_protection={"passes": "documents",
                                                     "basis": ["confidentiality_waiver"]})),
    "REDUNDANT": (same_group(), ("A3", "B3"),
                  both(same_group(), add_transition("A3-B3", "A3", "B3", "p2", "vertrag-a"))),
    "SINGLE_POINT": (end_services("B3"), ("q",),
                     both(end_services("B3"), add_service("C3", "toddler", "p3"),
                          add_transition("B2-C3", "B2", "C3", "p3", "vertrag-b"),
                          add_transition("C3-B4", "C3", "B4", "p3", "vertrag-b"))),
    "LANGUAGE_NOT_COVERED": (languages("ar"), ("q", "ar"),
                             both(languages("ar"), *(set_in(service, f"A{k}",
                                                            languages=["ar", "de"])
                                                     for k in range(7)))),
    "ANCHOR_MISSING": (set_in(lambda d, k: d["providers"][3], "", anchor=None),
                       ("q", "youth_welfare_service"),
                       set_in(lambda d, k: d["providers"][3], "", anchor="youth_welfare_service")),
}


# a lost link also cuts off what lies behind it, so these may fire more than once
_FOLLOW_ON = {"UNREACHABLE"}


@pytest.mark.parametrize("code", sorted(CASES))
def test_finding_fires(code: str) -> None:
    fire, ids, _ = CASES[code]
    found = [f for f in findings_of(fire) if f.code == code]
    assert ids in [f.ids for f in found]
    if code not in _FOLLOW_ON:
        assert len(found) == 1
    finding = next(f for f in found if f.ids == ids)
    assert finding.severity is CODES[code][0]
    assert finding.message and finding.next_step
    assert finding.quarters == ("q",)


@pytest.mark.parametrize("code", sorted(CASES))
def test_finding_stays_quiet_on_near_miss(code: str) -> None:
    _, _, near_miss = CASES[code]
    assert code not in {f.code for f in findings_of(near_miss)}


def test_every_code_is_tested():
    # NO_NEXT_SERVICE: tests of the navigator; MEASURE_OVERDUE: tests/test_measures.py
    assert set(CASES) | {"NO_NEXT_SERVICE", "MEASURE_OVERDUE"} == set(CODES)


def test_single_points_follow_a_lost_parallel_path():
    found = [f for f in findings_of(end_services("B3")) if f.code == "SINGLE_POINT"]
    # one note for the quarter (issue 28.2): A3 alone in its stage (said once, for the
    # stage); A2 and A4 the only links around it
    (note,) = found
    assert note.ids == ("q",)
    stages, links = note.message.split("Wege:")
    assert "„Kleinkindalter (1–3 Jahre, U3)“ allein an „Angebot A3“" in stages
    assert "→ „Kleinkindalter (1–3 Jahre, U3)“ allein an „Angebot A2“" in links
    assert "„Kleinkindalter (1–3 Jahre, U3)“ → „Kita-Alter (3–6 Jahre)“ allein an „Angebot A4“" \
        in links and "A3" not in links
    unreachable = {f.ids[0] for f in findings_of(drop("A2-A3")) if f.code == "UNREACHABLE"}
    assert unreachable == {"A3", "A4", "A5", "A6"}


def test_messages_name_services_and_providers():
    (f,) = [f for f in findings_of(set_in(transition, "A0-A1", owner=None))
            if f.code == "NO_OWNER"]
    assert f.message == ("Für den Übergang „Angebot A0“ (Grundschule) → „Angebot A1“ "
                         "(Kita-Träger) ist niemand verantwortlich.")


def test_thresholds_are_settings():
    loss = flow(20, 15)  # 25 % lost
    assert "HANDOFF_LOSS" not in {f.code for f in findings_of(loss)}
    assert "HANDOFF_LOSS" in {f.code for f in findings_of(loss, loss_rate=0.2)}
    expiring = agreement("A0-A1", valid_until="2027-06-30")  # 220 days
    assert "AGREEMENT_EXPIRING" in {f.code for f in findings_of(expiring,
                                                                expiry_horizon_days=365)}
    assert "CAPACITY_GAP" in {f.code for f in findings_of(capacity(30, 30), capacity_ratio=1.5)}


def test_too_few_referrals_are_not_judged():
    assert "HANDOFF_LOSS" not in {f.code for f in findings_of(flow(3, 0))}


def test_as_of_date_decides():
    change = agreement("A0-A1", valid_until="2026-12-31")
    net_data = chain_data()
    change(net_data)
    net = build(net_data)
    codes = lambda day: {f.code for f in check(net, day)}  # noqa: E731
    assert "AGREEMENT_EXPIRING" in codes(dt.date(2026, 11, 22))
    assert "AGREEMENT_EXPIRED" in codes(dt.date(2027, 1, 1))
    assert not {"AGREEMENT_EXPIRING", "AGREEMENT_EXPIRED"} & codes(dt.date(2026, 1, 1))


def test_planned_service_counts_from_its_start():
    data = chain_data()
    service(data, "B3").update(status="ended")
    service(data, "A3").update(status="planned", valid_from="2027-01-01")
    net = build(data)
    assert "STAGE_GAP" in {f.code for f in check(net, dt.date(2026, 11, 22))}
    assert "STAGE_GAP" not in {f.code for f in check(net, dt.date(2027, 2, 1))}


def test_empty_quarter_gives_findings_not_a_crash():
    data = chain_data()
    data["quarters"].append({"id": "leer", "name": "Leeres Quartier", "district": "d"})
    found = check(build(data), AS_OF, quarters=["Leeres Quartier"])
    assert sorted(f.code for f in found) == ["ANCHOR_MISSING"] * 4 + ["STAGE_GAP"] * 7


def test_findings_are_sorted_by_severity():
    found = findings_of(both(end_services("A3", "B3"), set_in(transition, "A0-A1", owner=None)))
    severities = [f.severity for f in found]
    assert severities == sorted(severities, reverse=True)
    assert severities[0] is Severity.CRITICAL


def test_synthetic_planted_defects_are_found_exactly():
    syn = generate(quarters=12, services_per_quarter=42, defects=3 * len(DEFECT_KINDS), seed=5)
    found = check(syn.network, syn.as_of)
    assert sorted((f.code, f.ids[0]) for f in found) == \
        sorted((d.code, d.ids[0]) for d in syn.defects)


def test_quarter_check_equals_the_quarter_part_of_the_whole():
    syn = generate(quarters=5, services_per_quarter=28, defects=10, seed=2)
    whole = check(syn.network, syn.as_of)
    for q in ("q0", "q3"):
        part = check(syn.network, syn.as_of, quarters=[q])
        assert part == [f for f in whole if q in f.quarters]


def test_unknown_quarter_suggests():
    from graph.errors import NotFoundError

    with pytest.raises(NotFoundError, match="Meinten Sie 'Musterviertel'"):
        check(clean_chain(), AS_OF, quarters=["Musterfiertel"])
