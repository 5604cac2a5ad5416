"""Invariants of the analysis, on networks of every shape (hypothesis)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from graph.formats import document
from graph.model import Agreement, AgreementKind
from graph.network import Network
from lotsen.check import check
from lotsen.findings import BROKEN_HANDOFF_CODES
from tests.chains import AS_OF
from tests.strategies import networks


def broken(net: Network) -> set[tuple[str, tuple[str, ...]]]:
    return {f.key for f in check(net, AS_OF) if f.code in BROKEN_HANDOFF_CODES}


@given(networks(), st.data())
def test_adding_a_valid_binding_agreement_never_adds_a_broken_handoff(net, data):
    assume(net.transitions)
    t = data.draw(st.sampled_from(net.transitions))
    services = net.service_index
    parties = [services[t.source].provider, services[t.target].provider]
    if t.owner:
        parties.append(t.owner)
    new = Agreement(id="neue-vereinbarung", name="Neue Vereinbarung",
                    kind=data.draw(st.sampled_from([k for k in AgreementKind
                                                    if k is not AgreementKind.INFORMAL])),
                    parties=list(dict.fromkeys(parties)), binding=True)
    changed = t.model_copy(update={"agreements": [*t.agreements, new.id]})
    after = net.with_sections(
        agreements=[*net.agreements, new],
        transitions=[changed if x.id == t.id else x for x in net.transitions])
    assert broken(after) <= broken(net)


def without_service(net: Network, service_id: str) -> Network:
    transitions = [t for t in net.transitions if service_id not in (t.source, t.target)]
    kept = {t.id for t in transitions}
    return net.with_sections(
        services=[s for s in net.services if s.id != service_id], transitions=transitions,
        referral_flows=[f for f in net.referral_flows if f.transition in kept])


def stage_gaps(net: Network) -> set[tuple[str, ...]]:
    return {f.ids for f in check(net, AS_OF) if f.code == "STAGE_GAP"}


@given(networks(), st.data())
def test_removing_a_service_never_removes_a_stage_gap(net, data):
    assume(net.services)
    service = data.draw(st.sampled_from(net.services))
    assert stage_gaps(net) <= stage_gaps(without_service(net, service.id))


@given(networks())
def test_check_never_crashes_and_is_deterministic(net):
    first = check(net, AS_OF)
    fresh = document.loads(document.dumps(net))
    assert "lotsen.index" not in fresh.cache
    assert first == check(fresh, AS_OF)  # a freshly built index gives the same result
    for f in first:
        assert f.message and f.next_step and f.quarters


@given(networks())
def test_quarter_checks_add_up_to_the_whole(net):
    whole = check(net, AS_OF)
    per_quarter = {f.key for q in net.quarters for f in check(net, AS_OF, quarters=[q.id])}
    assert per_quarter == {f.key for f in whole}
