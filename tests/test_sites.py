"""Sites (Standorte) as entries of their own (issue 15): model and network check, old
files, YAML/JSON, Excel/CSV, HSDS (locations, service_at_location, fixed points), the
stores and the Werkstatt form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from graph.contact import ProviderContact
from graph.errors import FormatError, InvalidNetworkError
from graph.formats.csvfolder import read_folder, write_folder
from graph.formats.document import dumps, load, loads
from graph.formats.hsds import from_hsds, read_hsds, to_hsds, to_hsds_page, write_hsds
from graph.formats.workbook import (
    read_workbook,
    template_network,
    write_template,
    write_workbook,
)
from graph.network import Network
from graph.site import Site
from seeds import load_seed
from tests.strategies import contacts, descriptions, names, networks
from tests.werkstatt import csrf, form_of, log_in, werkstatt

HSDS = Path(__file__).resolve().parent.parent.parent / "shared" / "hsds"
DATA = Path(__file__).resolve().parent / "data"


def with_sites() -> Network:
    """Brunnenstraße with three sites: one with a German address and every contact field,
    one with a free-text address and no quarter, and one no service names."""
    net = load_seed("brunnenstrasse")
    sites = [
        Site(id="fz-nordmarkt", name="Familienzentrum Nordmarkt",
             address="Mallinckrodtstraße 66, 44147 Dortmund", quarter="brunnenstrasse",
             description="Im Erdgeschoss, barrierefrei.",
             contact={"url": "www.fz-nordmarkt.de", "email": "info@fz-nordmarkt.de",
                      "phone": "0231 123 45-0", "opening_hours": "Mo–Fr 8–16 Uhr"}),
        Site(id="klinik-nord", name="Klinikum Nord, Kreißsaal",
             address="Eingang Münsterstraße, Haus B"),
        Site(id="stadtteilbuero", name="Stadtteilbüro Brunnenstraße", quarter="brunnenstrasse",
             contact={"phone": "0231 50-22222"}),
    ]
    services = [s.model_copy(update={"sites": ["fz-nordmarkt", "klinik-nord"]})
                if s.id == "babylotsen" else
                s.model_copy(update={"sites": ["fz-nordmarkt"], "site": "Kita Nordmarkt"})
                if s.id == "griffbereit" else s for s in net.services]
    return net.with_sections(sites=sites, services=services)


# -- model and network check ---------------------------------------------------------------


def test_unknown_site_or_quarter_is_a_german_problem_with_a_suggestion():
    net = with_sites()
    broken = [s.model_copy(update={"sites": ["fz-nordmark"]}) if s.id == "babylotsen" else s
              for s in net.services]
    with pytest.raises(InvalidNetworkError) as exc:
        net.with_sections(services=broken)
    text = str(exc.value)
    assert "Angebot 'babylotsen', Feld 'sites': Standort 'fz-nordmark' ist unbekannt." in text
    assert "Meinten Sie 'fz-nordmarkt'" in text
    wrong = [Site(id="s1", name="Ort", quarter="brunnenstrase")]
    with pytest.raises(InvalidNetworkError, match="Meinten Sie 'brunnenstrasse'"):
        net.with_sections(sites=wrong)


def test_site_ids_are_unique_across_the_network_and_contacts_are_checked():
    net = with_sites()
    with pytest.raises(InvalidNetworkError, match="doppelt vergeben"):
        net.with_sections(sites=[*net.sites, Site(id="babylotsen", name="Doppelt")])
    with pytest.raises(ValueError, match=r"E-Mail-Adresse 'info\(at\)fz\.de' ist ungültig"):
        Site(id="x", name="X", contact={"email": "info(at)fz.de"})


def test_old_files_load_unchanged_and_the_text_site_stays_valid():
    old = load(DATA / "netzwerk-schema-1.yaml")
    assert old.sites == [] and all(s.sites == [] for s in old.services)
    assert "sites" not in dumps(old)
    net = with_sites()
    griffbereit = net.service_index["griffbereit"]
    assert griffbereit.site == "Kita Nordmarkt" and griffbereit.sites == ["fz-nordmarkt"]


def test_restricting_to_a_quarter_keeps_its_sites_and_those_its_services_name():
    part = with_sites().restricted_to(["brunnenstrasse"])
    assert [x.id for x in part.sites] == ["fz-nordmarkt", "klinik-nord", "stadtteilbuero"]


# -- document, workbook, CSV ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_document_round_trip(fmt):
    net = with_sites()
    text = dumps(net, fmt)
    assert loads(text) == net
    data = json.loads(text) if fmt == "json" else None
    if data is not None:
        assert data["sites"][1] == {"id": "klinik-nord", "name": "Klinikum Nord, Kreißsaal",
                                    "address": "Eingang Münsterstraße, Haus B"}
        assert list(data).index("sites") == list(data).index("providers") + 1


def test_workbook_and_csv_round_trip(tmp_path):
    net = with_sites()
    write_workbook(net, tmp_path / "kette.xlsx")
    assert read_workbook(tmp_path / "kette.xlsx").network == net
    write_folder(net, tmp_path / "csv")
    assert (tmp_path / "csv" / "Standorte.csv").exists()
    assert read_folder(tmp_path / "csv").network == net


def test_template_has_a_sites_sheet_with_an_example(tmp_path):
    from openpyxl import load_workbook

    write_template(tmp_path / "vorlage.xlsx")
    wb = load_workbook(tmp_path / "vorlage.xlsx")
    sheet = wb["Standorte"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Kennung", "Name", "Anschrift", "Quartier"]
    assert sheet["B2"].value == "Kita Sonnenschein"
    services = wb["Angebote"]
    assert "Standorte" in [c.value for c in services[1]]
    assert template_network().service_index["kita"].sites == ["kita-sonnenschein"]


def test_sheet_names_a_site_by_name_and_an_unknown_one_by_row(tmp_path):
    net = with_sites()
    write_folder(net, tmp_path / "csv")
    path = tmp_path / "csv" / "Angebote.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert "fz-nordmarkt; klinik-nord" in text
    path.write_text(text.replace("fz-nordmarkt; klinik-nord",
                                 "Familienzentrum Nordmarkt; klinik-nrd"), encoding="utf-8-sig")
    report = read_folder(tmp_path / "csv")
    assert not report.ok
    (problem,) = report.problems
    assert (problem.sheet, problem.column) == ("Angebote", "Standorte")
    assert problem.row > 1 and "Meinten Sie 'klinik-nord'" in problem.message


# -- HSDS ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def location_schema() -> Draft202012Validator:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8"))
               for p in (HSDS / "schema").glob("*.json") if p.name != "openapi.json"}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return Draft202012Validator(schemas["location.json"], registry=registry)


def _location(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in doc["locations"] if p["name"] == name)


def test_hsds_writes_sites_as_valid_locations(location_schema):
    doc = to_hsds(with_sites()).document
    for place in doc["locations"]:
        assert not list(location_schema.iter_errors(place)), place["name"]
    fz = _location(doc, "Familienzentrum Nordmarkt")
    (address,) = fz["addresses"]
    assert (address["address_1"], address["postal_code"], address["city"]) == (
        "Mallinckrodtstraße 66", "44147", "Dortmund")
    assert fz["url"] == "https://www.fz-nordmarkt.de"
    assert fz["phones"][0]["number"] == "0231 123 45-0"
    assert fz["schedules"][0]["description"] == "Mo–Fr 8–16 Uhr"
    assert fz["contacts"] == [{"id": fz["contacts"][0]["id"], "location_id": fz["id"],
                               "email": "info@fz-nordmarkt.de"}]  # no person's name
    assert {a["taxonomy_term"]["taxonomy"] for a in fz["attributes"]} >= {
        "lotsensystem:kennung", "lotsensystem:quartier"}
    babylotsen = next(s for s in doc["services"] if any(
        a["taxonomy_term"]["taxonomy"] == "lotsensystem:kennung" and a["value"] == "babylotsen"
        for a in s["attributes"]))
    assert [link["location"]["name"] for link in babylotsen["service_at_locations"]] == [
        "Familienzentrum Nordmarkt", "Klinikum Nord, Kreißsaal"]


def test_hsds_document_page_and_package_are_fixed_points(tmp_path):
    net = with_sites()
    export = to_hsds(net).document
    back = from_hsds(json.loads(json.dumps(export))).network
    assert [x.model_dump() for x in back.sites] == [x.model_dump() for x in net.sites]
    assert back.service_index["babylotsen"].sites == ["fz-nordmarkt", "klinik-nord"]
    assert back.service_index["griffbereit"].site == "Kita Nordmarkt"
    assert to_hsds(back).document == export
    page = to_hsds_page(net).document
    # the site no service names travels beside the page's fields
    assert [p["name"] for p in page["locations"]] == ["Stadtteilbüro Brunnenstraße"]
    assert to_hsds_page(from_hsds(json.loads(json.dumps(page))).network).document == page
    write_hsds(net, tmp_path / "a", "hsds-csv")
    once = read_hsds(tmp_path / "a").network
    assert [x.model_dump() for x in once.sites] == [x.model_dump() for x in net.sites]
    write_hsds(once, tmp_path / "b", "hsds-csv")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_a_location_only_file_imports_sites(tmp_path):
    doc = to_hsds(with_sites()).document
    only = {"locations": [p for p in doc["locations"] if p.get("attributes")]}
    path = tmp_path / "orte.json"
    path.write_text(json.dumps(only), encoding="utf-8")
    result = read_hsds(path)
    assert [x.id for x in result.network.sites] == [
        "fz-nordmarkt", "klinik-nord", "stadtteilbuero"]
    assert result.network.sites[0].quarter == "brunnenstrasse"
    assert result.network.services == []
    assert result.notes[0] == "Die Datei enthält keine Angebote, nur 3 Standorte; übernommen."


def test_the_official_location_example_is_a_site():
    result = read_hsds(HSDS / "examples" / "location.json")
    (site,) = result.network.sites
    assert site.name == "MyCity Civic Center"
    assert site.address == "1-30 Main Street, MyVillage, ABC 1234 MyCity"
    assert site.contact is not None and site.contact.url == "http://example.com"
    assert site.contact.email is None  # the only e-mail there is a person's
    assert "Ann Persona" not in result.network.model_dump_json()
    assert any("1 Name einer Kontaktperson" in n for n in result.notes)


def test_taxonomies_alone_are_still_refused():
    with pytest.raises(FormatError, match="enthält keine Angebote"):
        read_hsds(HSDS / "examples" / "taxonomy_list.json")


# -- stores --------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["file", "sqlite", "neo4j"])
def test_stores_keep_sites(backend, tmp_path, request):
    from graph.backends.memory import MemoryRepository

    if backend == "file":
        repo: Any = MemoryRepository(tmp_path / "speicher.json")
    elif backend == "sqlite":
        from graph.backends.sqlite import SqliteRepository

        repo = SqliteRepository(tmp_path / "speicher.sqlite")
    else:
        from graph.backends.neo4j import Neo4jRepository

        repo = Neo4jRepository.from_uri(request.getfixturevalue("neo4j_uri"))
        repo.clear()
    try:
        net = with_sites()
        repo.replace(net, "test")
        assert repo.load() == net
        if backend == "sqlite":
            part = repo.load_quarters(["brunnenstrasse"])
            assert {x.id for x in part.sites} == {"fz-nordmarkt", "klinik-nord",
                                                  "stadtteilbuero"}
    finally:
        if backend != "file":
            repo.close()


# -- the Werkstatt form --------------------------------------------------------------------


def test_werkstatt_creates_a_site_and_a_service_names_it(tmp_path):
    from graph.backends.memory import MemoryRepository

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("brunnenstrasse"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    assert "/bearbeiten/standorte/neu" in client.get("/").text
    page = client.get("/bearbeiten/standorte/neu").text
    assert "Anschrift" in page and "Öffnungszeiten" in page
    r = client.post("/bearbeiten/standorte/neu", data={
        "csrf": csrf(page), "name": "Familienzentrum Nordmarkt",
        "address": "Mallinckrodtstraße 66, 44147 Dortmund", "quarter": "brunnenstrasse",
        "contact_phone": "0231 123 45-0", "contact_opening_hours": "Mo–Fr 8–16 Uhr"})
    assert r.status_code == 303, r.text
    site = repo.load().site_index["familienzentrum-nordmarkt"]
    assert site.quarter == "brunnenstrasse" and site.contact is not None
    assert site.contact.phone == "0231 123 45-0"
    bad = client.post("/bearbeiten/standorte/neu", data={
        "csrf": csrf(page), "name": "Ort", "contact_email": "kein-at"})
    assert bad.status_code == 422 and "E-Mail-Adresse" in bad.text
    edit = client.get("/bearbeiten/angebote/babylotsen").text
    assert "Familienzentrum Nordmarkt" in edit
    # the editor of the quarter may name the site on her service, not change the site
    nord = werkstatt(repo, tmp_path)
    assert log_in(nord, "nord").status_code == 303
    form = form_of(nord.get("/bearbeiten/standorte/familienzentrum-nordmarkt").text)
    denied = nord.post("/bearbeiten/standorte/familienzentrum-nordmarkt",
                       data={**form, "name": "Anders"})
    assert denied.status_code == 403
    assert repo.load().site_index["familienzentrum-nordmarkt"].name == "Familienzentrum Nordmarkt"


# -- merging a quarter's sheet -------------------------------------------------------------


def test_merging_a_quarters_file_adds_changes_and_prunes_its_sites():
    from graph.merge import plan_merge

    net = load_seed("dortmund")
    sites = [Site(id="fz-nordmarkt", name="Familienzentrum Nordmarkt",
                  quarter="brunnenstrasse"),
             Site(id="alt-nord", name="Altes Stadtteilbüro", quarter="brunnenstrasse"),
             Site(id="fz-hoerde", name="Familienzentrum Hörde", quarter="hoerde")]
    store = net.with_sections(sites=sites)
    part = store.restricted_to(["brunnenstrasse"])
    assert {x.id for x in part.sites} == {"fz-nordmarkt", "alt-nord"}
    incoming = part.with_sections(sites=[
        part.site_index["fz-nordmarkt"].model_copy(update={"address": "Mallinckrodtstraße 66"}),
        Site(id="kita-neu", name="Kita Neu", quarter="brunnenstrasse")])
    plan = plan_merge(store, incoming, prune=True)
    assert [x.id for x in plan.network.sites] == ["fz-nordmarkt", "fz-hoerde", "kita-neu"]
    assert plan.network.site_index["fz-nordmarkt"].address == "Mallinckrodtstraße 66"
    assert {(c.action, c.key) for c in plan.changes if c.section == "sites"} == {
        ("changed", "fz-nordmarkt"), ("new", "kita-neu"), ("removed", "alt-nord")}


# -- generated networks --------------------------------------------------------------------

addresses = st.none() | st.sampled_from([
    "Bornstraße 10, 44135 Dortmund", "Eingang Hof, Haus B", "Markt 1, 2. OG, 59379 Selm"])


@st.composite
def networks_with_sites(draw: Any) -> Network:
    """A generated network with sites (in some quarter or none), services naming them,
    provider contacts and agreements stating served quarters."""
    net = draw(networks())
    quarters = [q.id for q in net.quarters]
    sites = [Site(id=f"site{i}", name=draw(names), address=draw(addresses),
                  quarter=draw(st.none() | st.sampled_from(quarters)),
                  description=draw(descriptions), contact=draw(contacts))
             for i in range(draw(st.integers(0, 3)))]
    ids = [x.id for x in sites]
    services = [s.model_copy(update={"sites": draw(st.lists(st.sampled_from(ids), max_size=2,
                                                            unique=True)) if ids else []})
                for s in net.services]
    provider_contacts = st.none() | st.builds(
        ProviderContact, url=st.none() | st.just("https://www.traeger.de"),
        email=st.none() | st.just("info@traeger.de"),
        phone=st.none() | st.just("0231 50-12345")).filter(lambda c: not c.is_empty())
    providers = [p.model_copy(update={"contact": draw(provider_contacts)})
                 for p in net.providers]
    served = sorted({q for s in services for q in s.quarters})
    agreements = [a.model_copy(update={"quarters": draw(st.lists(
        st.sampled_from(served), max_size=2, unique=True)) if served else []})
        for a in net.agreements]
    return net.with_sections(sites=sites, services=services, providers=providers,
                             agreements=agreements)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_sites())
def test_generated_networks_keep_sites_and_contacts_everywhere(net):
    assert loads(dumps(net)) == net
    export = to_hsds(net).document
    back = from_hsds(json.loads(json.dumps(export))).network
    assert [x.model_dump() for x in back.sites] == [x.model_dump() for x in net.sites]
    assert [s.sites for s in back.services] == [s.sites for s in net.services]
    assert [p.contact for p in back.providers] == [p.contact for p in net.providers]
    assert {a.id: a.quarters for a in back.agreements} == {
        a.id: a.quarters for a in net.agreements}
    assert to_hsds(back).document == export
    page = to_hsds_page(net).document
    assert to_hsds_page(from_hsds(json.loads(json.dumps(page))).network).document == page
