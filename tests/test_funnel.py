"""The hand-off funnel (issue 26, point 5): families referred and arrived, transition by
transition along the chain – referral figures only – as a picture on the Werkstatt's
quarter page, in the quarter report and on the slides."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.backends.memory import MemoryRepository
from graph.model import AcceptedFinding, ReferralFlow
from graph.network import Network
from lotsen.funnel import handoff_funnel
from lotsen.index import get_index
from lotsen.indicators import quarter_indicators
from lotsen.open_findings import open_findings
from seeds import load_seed
from tests.conftest import AS_OF
from tests.pdf_text import read_pdf
from tests.strategies import networks
from tests.werkstatt import werkstatt
from visualisation.funnel import funnel_image, funnel_summary
from visualisation.report import quarter_report
from visualisation.slides import quarter_slides

HOERDE_LOSS = "HANDOFF_LOSS/willkommensbesuch-hoerde-kita"


def svg_text(svg: bytes) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", svg.decode("utf-8")))


def test_the_funnel_of_hoerde_follows_the_chain_with_the_networks_figures() -> None:
    net = load_seed("dortmund")
    funnel = handoff_funnel(net, "hoerde", AS_OF)
    assert [s.transition for s in funnel.steps] == [
        "babylotsen-familienhebammen", "willkommensbesuch-hoerde-kita"]
    assert [(s.stage, s.referred, s.arrived, s.lost) for s in funnel.steps] == [
        ("vor Geburt", 64, 55, 9), ("0–1 J.", 42, 17, 25)]
    assert [s.flagged for s in funnel.steps] == [False, True]  # the open HANDOFF_LOSS
    assert (funnel.referred, funnel.arrived, funnel.lost) == (106, 72, 34)
    ind = quarter_indicators(net, "hoerde", AS_OF)  # the indicator reads the same figures
    assert (ind.referred, ind.arrived) == (funnel.referred, funnel.arrived)
    assert funnel.without_figures == len(get_index(net).quarters["hoerde"].transitions) - 2


def test_an_accepted_loss_is_not_red_in_the_funnel() -> None:
    net = load_seed("dortmund").with_sections(accepted_findings=[AcceptedFinding(
        key=HOERDE_LOSS, reason="Kita voll, bekannt", by="Koordination", on=AS_OF)])
    assert HOERDE_LOSS not in {f.stable_key for f in open_findings(net, "hoerde", AS_OF)}
    assert not any(s.flagged for s in handoff_funnel(net, "hoerde", AS_OF).steps)
    assert "Befund „Verlust“" not in svg_text(funnel_image(handoff_funnel(net, "hoerde", AS_OF)))


def test_old_figures_and_a_quarter_without_figures() -> None:
    net = load_seed("dortmund")
    later = handoff_funnel(net, "hoerde", dt.date(2027, 6, 30))  # 2025 is out of the window
    assert later.steps == [] and later.referred == 0
    assert funnel_summary(later) == "Keine Vermittlungszahlen im Zeitfenster."
    assert "Keine Vermittlungszahlen" in svg_text(funnel_image(later))
    unna = handoff_funnel(load_seed("unna"), "unna-mitte", AS_OF)
    assert unna.steps == [] and unna.without_figures > 0


def test_the_picture_has_every_step_and_only_counts() -> None:
    net = load_seed("dortmund")
    funnel = handoff_funnel(net, "hoerde", AS_OF)
    text = re.sub(r"\s+", " ", svg_text(funnel_image(funnel)))
    for s in funnel.steps:
        assert f"{s.referred} vermittelt · {s.arrived} angekommen" in text
        assert f"{s.lost} nicht angekommen" in text
    # referral numbers only: no contact person, phone or e-mail of any service
    for service in net.services:
        contact = getattr(service, "contact", None)
        for value in (getattr(contact, "email", None), getattr(contact, "phone", None),
                      service.contact_role):
            if value:
                assert str(value) not in text
    assert "@" not in text
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
        assert funnel_image(funnel, fmt).startswith(magic)


def test_report_and_slides_show_the_funnel() -> None:
    net = load_seed("dortmund")
    page = quarter_report(net, "hoerde", AS_OF)
    assert "<h2>Vermittlungen entlang der Kette</h2>" in page
    assert "106 Familien vermittelt, 72 angekommen" in html.unescape(page)
    texts = read_pdf(quarter_slides(net, "hoerde", AS_OF)).texts
    slide = next(t for t in texts if "Vermittlungen entlang der Kette" in t)
    assert "42 vermittelt" in slide and "17 angekommen" in slide
    # a quarter without figures: no section, no slide
    unna = load_seed("unna")
    assert "Vermittlungen entlang der Kette</h2>" not in quarter_report(unna, "unna-mitte",
                                                                          AS_OF)
    assert not any("Vermittlungen entlang" in t
                   for t in read_pdf(quarter_slides(unna, "unna-mitte", AS_OF)).texts)


def test_the_werkstatt_quarter_page_shows_the_funnel() -> None:
    repo = MemoryRepository()
    repo.replace(load_seed("dortmund"), "test")
    client = werkstatt(repo, Path("/tmp"), auth=False)
    try:
        page = client.get(f"/quartiere/hoerde?stichtag={AS_OF}").text
        assert 'id="vermittlungen"' in page
        src = re.search(r'<img src="([^"]*vermittlungen\.svg[^"]*)"', page)
        assert src and re.search(r'alt="Vermittlungstrichter [^"]*106 Familien', page)
        picture = client.get(html.unescape(src.group(1)))
        assert picture.status_code == 200
        assert picture.headers["content-type"].startswith("image/svg+xml")
        assert "42 vermittelt" in svg_text(picture.content)
        section = page[page.index('id="vermittlungen"'):]
        section = section[:section.index("</section>")]
        assert section.count("<tr>") == 1 + 2  # the head and one row per step
        assert "Befund „Verlust“" in html.unescape(section)
        empty = client.get("/quartiere/hoerde?stichtag=2027-06-30").text
        assert "Keine Vermittlungszahlen im Zeitfenster" in empty
    finally:
        client.close()


# --- property: any network, any figures ------------------------------------------------

def _with_flows(net: Network, data: Any) -> Network:
    flows = []
    for t in net.transitions:
        for _ in range(data.draw(st.integers(0, 2))):
            end = AS_OF - dt.timedelta(days=data.draw(st.integers(-30, 500)))
            referred = data.draw(st.integers(0, 80))
            flows.append(ReferralFlow(transition=t.id, period_start=end - dt.timedelta(days=90),
                                      period_end=end, referred=referred,
                                      arrived=data.draw(st.integers(0, referred))))
    unique = {f.key: f for f in flows}
    return net.model_copy(update={"referral_flows": list(unique.values())})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_services=6), st.data())
def test_the_funnel_adds_up_for_generated_networks(net: Network, data: Any) -> None:
    net = _with_flows(net, data)
    idx = get_index(net)
    for q in net.quarters:
        funnel = handoff_funnel(net, q.id, AS_OF)
        ind = quarter_indicators(net, q.id, AS_OF)
        assert (funnel.referred, funnel.arrived) == (ind.referred, ind.arrived)
        assert {s.transition for s in funnel.steps} == set(ind.flows)
        orders = [(idx.orders[idx.transitions[s.transition].source][0],
                   idx.orders[idx.transitions[s.transition].target][0])
                  for s in funnel.steps]
        assert orders == sorted(orders)  # along the life course
        assert all(0 <= s.arrived <= s.referred and s.lost == s.referred - s.arrived
                   for s in funnel.steps)
        lossy = {f.ids[0] for f in open_findings(net, q.id, AS_OF) if f.code == "HANDOFF_LOSS"}
        assert {s.transition for s in funnel.steps if s.flagged} == lossy & set(ind.flows)


@pytest.mark.parametrize("quarter", ["brunnenstrasse", "libellenquartier", "hoerde"])
def test_every_flagged_step_is_a_listed_finding(quarter: str) -> None:
    net = load_seed("dortmund")
    listed = {f.stable_key for f in open_findings(net, quarter, AS_OF)}
    for s in handoff_funnel(net, quarter, AS_OF).steps:
        assert s.flagged == (f"HANDOFF_LOSS/{s.transition}" in listed)
