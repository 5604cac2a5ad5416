"""„Wirkung nach einem Jahr“ for a measure and for a new link: referral numbers and
findings of the affected quarter, the year before against the year after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graph.errors import NotFoundError
from graph.formats import document
from graph.model import Agreement, Measure, ReferralFlow
from graph.network import Network
from lotsen.wirkung import WirkungError, effect, effects_in, network_on
from seeds import load_seed
from tests.test_cli import lotse
from visualisation.report import quarter_report

T = "willkommensbesuch-kinderstube"  # referral without agreement, resting on one person
KEY = f"NO_AGREEMENT/{T}"
START = dt.date(2025, 6, 1)
AS_OF = dt.date(2026, 11, 22)


def _measure_network() -> Network:
    """A measure „Kooperationsvertrag Willkommensbesuch“ due 01.06.2025: the contract
    backs the transition from that day; referral figures for 2024 and 2025."""
    net = load_seed("brunnenstrasse")
    contract = Agreement(id="koop-willkommen", name="Kooperationsvertrag Willkommensbesuch",
                         kind="cooperation_contract", parties=["familienbuero-nord", "dobeq"],
                         signed=START, valid_from=START)
    transitions = [t.model_copy(update={"agreements": ["koop-willkommen"]}) if t.id == T else t
                   for t in net.transitions]
    flows = [*net.referral_flows,  # 2025: 64/55 and 38/36 on two other transitions
             ReferralFlow(transition=T, period_start="2024-01-01", period_end="2024-12-31",
                          referred=40, arrived=22),
             ReferralFlow(transition=T, period_start="2025-07-01", period_end="2025-12-31",
                          referred=30, arrived=27)]
    measure = Measure(id="m-willkommen", title="Kooperationsvertrag Willkommensbesuch",
                      findings=[KEY], responsible="familienbuero-nord", due=START,
                      status="done")
    return net.with_sections(agreements=[*net.agreements, contract], transitions=transitions,
                             referral_flows=flows, measures=[measure])


def _link_network() -> Network:
    net = load_seed("brunnenstrasse")
    return net.with_sections(transitions=[
        t.model_copy(update={"valid_from": START}) if t.id == T else t for t in net.transitions])


def test_a_measure_the_year_before_and_after() -> None:
    e = effect(_measure_network(), "m-willkommen", as_of=AS_OF)
    assert (e.kind, e.start, e.quarters) == ("measure", START, ("brunnenstrasse",))
    assert (e.before.start, e.before.end) == (dt.date(2024, 6, 1), dt.date(2025, 5, 31))
    assert (e.after.start, e.after.end) == (START, dt.date(2026, 5, 31))
    # 2024: 40 referred, 22 arrived; 2025: 64 + 38 + 30 referred, 55 + 36 + 27 arrived
    assert (e.before.referred, e.before.arrived) == (40, 22)
    assert (e.after.referred, e.after.arrived) == (132, 118)
    assert e.before.loss_rate == pytest.approx(18 / 40)
    assert e.named_state() == [(KEY, True, False)]
    assert KEY in {f.stable_key for f in e.resolved}
    assert KEY not in {f.stable_key for f in e.appeared}


def test_a_new_link_did_not_exist_the_year_before() -> None:
    net = _link_network()
    assert T not in network_on(net, dt.date(2024, 6, 1)).transition_index
    assert T in network_on(net, START).transition_index
    e = effect(net, T, as_of=AS_OF)
    assert e.kind == "transition" and e.before.day == dt.date(2024, 6, 1)
    before = {f.stable_key for f in e.before.findings}
    assert not any(T in key for key in before)
    assert {KEY, f"PERSON_DEPENDENT/{T}"} <= {f.stable_key for f in e.appeared}
    assert (e.before.referred, e.after.referred) == (0, 102)


def test_a_year_not_yet_over_is_compared_up_to_the_day() -> None:
    e = effect(_link_network(), T, as_of=dt.date(2025, 12, 1))
    assert not e.after.complete and e.after.end == dt.date(2025, 12, 1)
    assert e.after.day == dt.date(2025, 12, 1)


def test_clear_messages_for_what_cannot_be_compared() -> None:
    net = _measure_network()
    with pytest.raises(WirkungError, match="kein Datum „besteht seit“"):
        effect(net, "babylotsen-familienhebammen", as_of=AS_OF)
    with pytest.raises(WirkungError, match=r"beginnt erst am 01\.06\.2025"):
        effect(net, "m-willkommen", as_of=dt.date(2025, 1, 1))
    with pytest.raises(NotFoundError, match="Meinten Sie 'm-willkommen'"):
        effect(net, "m-wilkommen", as_of=AS_OF)
    assert effect(net, "m-willkommen", since=dt.date(2025, 9, 1), as_of=AS_OF).start == \
        dt.date(2025, 9, 1)


def test_quarter_lists_measures_and_new_links_and_the_report_shows_them() -> None:
    net = _measure_network()
    net = net.with_sections(transitions=[
        t.model_copy(update={"valid_from": dt.date(2026, 1, 15)})
        if t.id == "babylotsen-familienhebammen" else t for t in net.transitions])
    found = effects_in(net, "brunnenstrasse", AS_OF)
    assert [e.id for e in found] == ["babylotsen-familienhebammen", "m-willkommen"]
    page = quarter_report(net, "brunnenstrasse", AS_OF)
    assert "Wirkung nach einem Jahr" in page
    assert "Maßnahme „Kooperationsvertrag Willkommensbesuch“, wirksam seit 01.06.2025" in page
    assert ("Befund der Maßnahme „Übergang ohne Vereinbarung – Willkommensbesuch → "
            "Dortmunder Kinderstube Brunnenstraße“: vorher da, jetzt behoben.") in page
    assert KEY not in page  # the report speaks German, not finding keys
    assert "Wirkung nach einem Jahr" not in quarter_report(load_seed("brunnenstrasse"),
                                                           "brunnenstrasse", AS_OF)


def test_cli_wirkung_table_and_json(tmp_path: Path) -> None:
    document.save(_measure_network(), tmp_path / "kette.yaml")
    assert lotse("load", "kette.yaml", "--store", "s.json", cwd=tmp_path).returncode == 0
    result = lotse("wirkung", "m-willkommen", "--as-of", AS_OF.isoformat(), "--store", "s.json",
                   cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Jahr davor" in result.stdout and "01.06.2024–31.05.2025" in result.stdout
    assert "vorher da, jetzt behoben" in result.stdout
    data = json.loads(lotse("wirkung", "-q", "brunnenstrasse", "--json", "--as-of",
                            AS_OF.isoformat(), "--store", "s.json", cwd=tmp_path).stdout)
    assert data[0]["id"] == "m-willkommen" and data[0]["vorher"]["vermittelt"] == 40
    bad = lotse("wirkung", "--store", "s.json", cwd=tmp_path)
    assert bad.returncode == 1 and "Bitte eine Maßnahme oder einen Übergang" in bad.stderr


def test_the_kreis_seed_shows_the_effect_of_its_new_link() -> None:
    """Kreis Unna: the link Hausbesuchsdienst → Familienbildungsstätte (since 1.3.2025) with
    the referral figures of Selm-Mitte the year before and after."""
    net = load_seed("kreis-unna")
    (found,) = effects_in(net, "selm-mitte", AS_OF)
    assert (found.kind, found.id) == ("transition", "selm-hausbesuch-fbs")
    assert (found.before.referred, found.before.arrived) == (38, 29)
    assert (found.after.referred, found.after.arrived) == (93, 79)
    assert "UNREACHABLE/kita-selm" in {f.stable_key for f in found.resolved}
    assert effects_in(net, "luenen-sued", AS_OF) == []


def test_the_werkstatt_and_the_report_name_findings_in_words() -> None:
    """No finding keys (DEAD_END/…, UNREACHABLE/…) on pages for the coordinator: the title
    and what it is about; ``lotse wirkung`` keeps the keys for ``lotse accept``."""
    from visualisation.wirkung_text import effect_items, effect_lines

    net = load_seed("kreis-unna")
    (item,) = effect_items(net, "selm-mitte", AS_OF)
    text = " ".join(item["lines"])
    assert "DEAD_END" not in text and "UNREACHABLE" not in text and "-selm" not in text
    assert ("Sackgasse: kein Übergang in die nächste Lebensphase – "
            "Neugeborenen-Hausbesuchsdienst Selm") in text
    (e,) = effects_in(net, "selm-mitte", AS_OF)
    assert "UNREACHABLE/kita-selm" in " ".join(effect_lines(e))
