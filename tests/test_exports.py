"""GraphML, GEXF and iCalendar exports: complete and readable by the tools around us."""

from __future__ import annotations

import icalendar
import networkx as nx
import pytest

from graph.formats.calendar import agreements_ics
from graph.formats.graph_export import flat_graph, write_graph
from graph.property_graph import to_networkx
from seeds import load_seed
from tests.test_cli import lotse


@pytest.mark.parametrize("suffix, reader", [(".graphml", nx.read_graphml),
                                            (".gexf", nx.read_gexf)])
def test_graph_exports_read_back_with_all_nodes_edges_and_attributes(tmp_path, suffix, reader):
    net = load_seed("dortmund")
    path = tmp_path / f"kette{suffix}"
    write_graph(net, path)
    back = reader(path)
    original = to_networkx(net)
    assert back.number_of_nodes() == original.number_of_nodes()
    assert back.number_of_edges() == original.number_of_edges()
    node = back.nodes["willkommensbesuch-hoerde"]
    assert node["type"] == "service" and node["provider"] == "familienbuero-hoerde"
    assert node["languages"] == "de; tr; ar" and node["capacity_per_year"] == 100
    owners = {d.get("owner") for _, _, d in back.edges(data=True)
              if d.get("relation") == "TRANSITION"}
    assert "familienbuero-hoerde" in owners


def test_flat_graph_has_only_flat_attributes():
    g = flat_graph(load_seed("unna"))
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())


def test_calendar_has_every_review_and_expiry():
    net = load_seed("dortmund")
    cal = icalendar.Calendar.from_ical(agreements_ics(net))
    events = list(cal.walk("VEVENT"))
    expected = sum((a.review_date is not None) + (a.valid_until is not None)
                   for a in net.agreements)
    assert len(events) == expected
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    ende = next(e for e in events if str(e["UID"]) == "uebergabe-kita-gs-nord-ende@lotsensystem")
    assert ende.decoded("DTSTART").isoformat() == "2025-07-31"
    assert "Kath. Familienzentrum Nordstadt" in str(ende["DESCRIPTION"])


def test_cli_exports_by_suffix(tmp_path):
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    for name in ("k.graphml", "k.gexf", "termine.ics"):
        result = lotse("export", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).stat().st_size > 0
    bad = lotse("export", "k.pdf", cwd=tmp_path)
    assert bad.returncode == 1 and "Unbekannte Endung '.pdf'" in bad.stderr


@pytest.mark.parametrize("suffix, reader", [(".graphml", nx.read_graphml),
                                            (".gexf", nx.read_gexf)])
def test_contact_data_are_columns_of_their_own_in_gephi(tmp_path, suffix, reader):
    """Institutional contact data as contact_url, contact_email, … (a JSON text with
    'null' in one column before), empty parts left out."""
    from graph.contact import Contact, ProviderContact

    net = load_seed("unna")
    service = net.services[0].model_copy(update={"contact": Contact(
        url="https://familienbuero.example", phone="02303 1234", opening_hours="Mo 9–12 Uhr")})
    provider = net.providers[0].model_copy(update={"contact": ProviderContact(
        email="info@kreis.example")})
    net = net.with_sections(services=[service, *net.services[1:]],
                            providers=[provider, *net.providers[1:]])
    path = tmp_path / f"kette{suffix}"
    write_graph(net, path)
    back = reader(path)
    node = back.nodes[service.id]
    assert node["contact_url"] == "https://familienbuero.example"
    assert node["contact_phone"] == "02303 1234"
    assert node["contact_opening_hours"] == "Mo 9–12 Uhr"
    assert "contact" not in node and "contact_email" not in node
    assert back.nodes[provider.id]["contact_email"] == "info@kreis.example"
