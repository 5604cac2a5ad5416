"""Priorities (issue 13): families affected per year, ranks, the top N."""

from __future__ import annotations

from typing import Any

from lotsen.check import check
from lotsen.findings import Severity
from lotsen.priority import TOP_TITLE, prioritise, score, top_findings
from seeds import load_seed
from tests.chains import AS_OF, build, chain_data, service, transition

DAY = AS_OF


def with_births(data: dict[str, Any], births: int = 60) -> None:
    data["quarters"][0]["social_data"] = [{"year": 2025, "births_per_year": births}]


def test_every_finding_of_a_quarter_with_social_data_has_families():
    found = check(load_seed("dortmund"), DAY)
    # REDUNDANT: a question of resources; SINGLE_POINT: a note for planning (issue 28.2)
    assert {f.code for f in found if f.families is None} == {"REDUNDANT", "SINGLE_POINT"}


def test_stage_gap_affects_the_yearly_cohort():
    data = chain_data()
    with_births(data)
    for sid in ("A3", "B3"):
        service(data, sid)["status"] = "ended"
    (gap,) = [f for f in check(build(data), DAY) if f.code == "STAGE_GAP"]
    assert gap.families == 60


def test_referral_figures_come_first():
    data = chain_data()
    with_births(data)
    transition(data, "A2-A3")["owner"] = None
    data["referral_flows"] = [{"transition": "A2-A3", "period_start": "2026-01-01",
                               "period_end": "2026-06-30", "referred": 10, "arrived": 10}]
    (f,) = [f for f in check(build(data), DAY) if f.code == "NO_OWNER"]
    assert f.families == 20  # half a year, scaled to a year


def test_rank_orders_by_severity_times_families():
    found = prioritise(check(load_seed("dortmund"), DAY))
    assert [f.rank for f in found] == list(range(1, len(found) + 1))
    scores = [score(f) for f in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0].severity is Severity.CRITICAL


def test_top_findings_gives_the_n_most_important():
    net = load_seed("dortmund")
    top = top_findings(net, DAY, n=5)
    assert len(top) == 5 and top == prioritise(check(net, DAY))[:5]
    assert TOP_TITLE == "Die wichtigsten Baustellen"


def test_quarter_check_is_the_quarter_part_with_families():
    net = load_seed("dortmund")
    whole = check(net, DAY)
    part = check(net, DAY, quarters=["hoerde"])
    assert part == [f for f in whole if "hoerde" in f.quarters]
