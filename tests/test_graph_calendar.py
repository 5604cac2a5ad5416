"""GraphML/GEXF as the standards want them (unique edge ids, no internal attributes,
referral figures) and a calendar that is valid even without dates, in German."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import networkx as nx
import pytest
from hypothesis import given, settings

from graph.formats.calendar import agreements_ics, count_events, write_ics
from graph.formats.graph_export import write_graph
from graph.network import Network
from graph.property_graph import to_networkx
from seeds import list_seeds, load_seed
from tests.strategies import networks
from tests.test_cli import lotse

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"


def _graphml_structure(path: Path) -> list[str]:
    """What graphml.xsd asks of ids: unique node ids, unique edge ids, every data key
    declared; returns the edge ids."""
    root = ET.parse(path).getroot()
    keys = {k.get("id") for k in root.iter(f"{GRAPHML}key")}
    nodes = [n.get("id") for n in root.iter(f"{GRAPHML}node")]
    edges = [e.get("id") for e in root.iter(f"{GRAPHML}edge")]
    assert all(nodes) and len(set(nodes)) == len(nodes)
    assert all(edges) and len(set(edges)) == len(edges)
    for e in root.iter(f"{GRAPHML}edge"):
        assert e.get("source") in nodes and e.get("target") in nodes
    assert {d.get("key") for d in root.iter(f"{GRAPHML}data")} <= keys
    names = {k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    assert "networkx_key" not in names and "key" not in names
    return [str(e) for e in edges]


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_graphml_has_unique_edge_ids_and_reads_back(tmp_path, name):
    net = load_seed(name)
    path = tmp_path / "kette.graphml"
    write_graph(net, path)
    edges = _graphml_structure(path)
    assert {t.id for t in net.transitions} <= set(edges)
    back = nx.read_graphml(path)
    assert back.number_of_edges() == to_networkx(net).number_of_edges()
    assert {d["id"] for _, _, d in back.edges(data=True)} == set(edges)


def test_transition_edges_carry_referral_figures(tmp_path):
    net = load_seed("brunnenstrasse")
    flow = net.referral_flows[0]
    for suffix, reader in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        path = tmp_path / f"kette{suffix}"
        write_graph(net, path)
        back = reader(path)
        t = net.transition_index[flow.transition]
        (data,) = [d for _, _, d in back.edges(data=True) if d.get("transition") == t.id]
        flows = [f for f in net.referral_flows if f.transition == t.id]
        assert data["referred"] == sum(f.referred for f in flows)
        assert data["arrived"] == sum(f.arrived for f in flows)
        assert f"{flow.referred}/{flow.arrived}" in data["referral_periods"]


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_gexf_has_unique_ids_and_no_internal_attributes(tmp_path, name):
    net = load_seed(name)
    path = tmp_path / "kette.gexf"
    write_graph(net, path)
    text = path.read_text(encoding="utf-8")
    assert "networkx_key" not in text
    root = ET.fromstring(text)
    edges = [e.get("id") for e in root.iter(f"{GEXF}edge")]
    assert all(edges) and len(set(edges)) == len(edges)
    assert {t.id for t in net.transitions} <= set(edges)
    back = nx.read_gexf(path)
    assert back.number_of_edges() == to_networkx(net).number_of_edges()


@settings(max_examples=25, deadline=None)
@given(networks())
def test_generated_networks_give_unique_edge_ids(tmp_path_factory, net):
    folder = tmp_path_factory.mktemp("graph")
    write_graph(net, folder / "k.graphml")
    _graphml_structure(folder / "k.graphml")
    write_graph(net, folder / "k.gexf")
    assert "networkx_key" not in (folder / "k.gexf").read_text(encoding="utf-8")


# -- calendar ---------------------------------------------------------------------------------


def test_empty_calendar_is_valid_and_says_why(tmp_path):
    net = Network(name="Ohne Vereinbarungen")
    data = agreements_ics(net)
    cal = icalendar.Calendar.from_ical(data)
    assert cal.subcomponents, "RFC 5545: a VCALENDAR needs at least one component"
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]
    assert not list(cal.walk("VEVENT"))
    assert "Keine Termine" in str(cal["X-WR-CALDESC"])
    zone = cal.subcomponents[0].to_tz()
    import datetime as dt

    assert dt.datetime(2026, 7, 1, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=2)
    assert dt.datetime(2026, 1, 1, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=1)
    assert write_ics(net, tmp_path / "leer.ics") == 0


def test_calendar_descriptions_are_german(tmp_path):
    net = load_seed("dortmund")
    cal = icalendar.Calendar.from_ical(agreements_ics(net))
    descriptions = [str(e["DESCRIPTION"]) for e in cal.walk("VEVENT")]
    assert descriptions and all("Art: " in d for d in descriptions)
    codes = {a.kind.value for a in net.agreements}
    for d in descriptions:
        kind = d.split("Art: ")[1]
        assert not any(kind.startswith(code) for code in codes), d
    assert any("§ 3 KKG" in d or "Kooperationsvertrag" in d for d in descriptions)
    assert all("verbindlich" in d for d in descriptions)
    assert write_ics(net, tmp_path / "k.ics") == len(descriptions)


ONE_SERVICE = ("name: Eins\nmunicipalities: [{id: m, name: M}]\n"
               "districts: [{id: d, name: D, municipality: m}]\n"
               "quarters: [{id: q, name: Q, district: d}]\n"
               "providers: [{id: p, name: P, kind: public}]\n"
               "services: [{id: s, name: S, provider: p, quarters: [q], "
               "life_stages: [infant], fields: [health]}")
"""A network with one service, its list of services left open (close it with ']')."""


def test_cli_says_when_the_calendar_is_empty_and_counts_in_german(tmp_path):
    (tmp_path / "eins.yaml").write_text(ONE_SERVICE + "]\n", encoding="utf-8")
    loaded = lotse("load", "eins.yaml", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "1 Quartier, 1 Angebot, 0 Übergänge, 0 Vereinbarungen" in loaded.stdout
    exported = lotse("export", "termine.ics", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "keine Termine" in exported.stdout and "(keine Termine)" in exported.stdout
    icalendar.Calendar.from_ical((tmp_path / "termine.ics").read_bytes())


def test_cli_counts_say_one_in_the_singular(tmp_path):
    """'1 Quartier(e)', '1 Übergänge', 'k.ics geschrieben (2 Angebote)' before."""
    (tmp_path / "eins.yaml").write_text(
        ONE_SERVICE + ", {id: s2, name: S2, provider: p, quarters: [q],"
        " life_stages: [birth], fields: [health]}]\n"
        "transitions: [{id: t, source: s2, target: s, kind: referral, owner: p}]\n",
        encoding="utf-8")
    assert lotse("load", "eins.yaml", cwd=tmp_path).returncode == 0
    summary = lotse("summary", cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert ("1 Quartier, 1 Träger, 2 Angebote, 1 Übergang, 0 Vereinbarungen, "
            "0 Vermittlungszahlen.") in summary.stdout
    empty = lotse("export", "leer.ics", cwd=tmp_path)
    assert "leer.ics geschrieben (keine Termine)" in empty.stdout, empty.stdout
    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    net = load_seed("dortmund")
    dated = sum(1 for a in net.agreements if a.review_date or a.valid_until)
    full = lotse("export", "k.ics", cwd=tmp_path)
    assert f"k.ics geschrieben ({count_events(net)} Termine aus {dated} Vereinbarungen)" \
        in full.stdout, full.stdout


def test_city_map_labels_count_in_german():
    from visualisation.city import several_quarters_scene

    net = load_seed("dortmund")
    quarter = net.quarters[0]
    one = net.with_sections(services=[s for s in net.services if s.quarters == [quarter.id]][:1]
                            + [s for s in net.services if quarter.id not in s.quarters],
                            transitions=[], agreements=[], referral_flows=[])
    scene = several_quarters_scene(one, None, dt.date(2026, 3, 1), limit=0)  # the city map
    node = next(n for n in scene.nodes if n.id == quarter.id)
    assert "1 Angebot " in node.label.replace("\n", " ") + " " and "1 Angebote" not in node.label
