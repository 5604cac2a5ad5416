"""Open Referral HSDS 3.0: every shape we write validates against the official schemas,
export → import → export is a fixed point, and every official example has an expected
outcome."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from graph.backends.memory import MemoryRepository
from graph.errors import FormatError, LotsenError
from graph.formats.hsds import from_hsds, read_hsds, to_hsds, to_hsds_page, write_hsds
from graph.formats.hsds_package import COLUMNS, NUMBERS, nest, read_package, write_package
from graph.network import Network
from lotsen.check import check
from seeds import list_seeds, load_seed
from tests.strategies import networks
from tests.test_cli import lotse

HSDS = Path(__file__).resolve().parent.parent.parent / "shared" / "hsds"
SEEDS = [s.name for s in list_seeds()]
TABLE_SCHEMAS = {"organizations": "organization", "services": "service",
                 "locations": "location", "service_areas": "service_area",
                 "service_at_location": "service_at_location", "languages": "language",
                 "phones": "phone", "schedules": "schedule", "contacts": "contact",
                 "attributes": "attribute", "taxonomies": "taxonomy",
                 "taxonomy_terms": "taxonomy_term", "addresses": "address",
                 "organization_identifiers": "organization_identifier"}


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8"))
               for p in (HSDS / "schema").glob("*.json") if p.name != "openapi.json"}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return {name[:-5]: Draft202012Validator(schema, registry=registry,
                                            format_checker=FormatChecker())
            for name, schema in schemas.items()}


def _valid(validator: Draft202012Validator, obj: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(obj)]
    assert not errors, errors[:3]


def _check_meaning(document: dict[str, Any]) -> None:
    """Fields per their meaning: no eligibility ages, no assurance dates, attributes
    link to real tables."""
    for s in document["services"]:
        assert "assured_date" not in s and "minimum_age" not in s and "maximum_age" not in s
        for a in s["attributes"]:
            assert a["link_entity"] == "service" and a["link_id"] == s["id"]
        for area in s["service_areas"]:
            assert {a["link_entity"] for a in area["attributes"]} == {"service_area"}
    for o in document["organizations"]:
        assert {a["link_entity"] for a in o["attributes"]} == {"organization"}


@pytest.mark.parametrize("name", SEEDS)
def test_document_validates_against_the_official_schemas(validators, name):
    export = to_hsds(load_seed(name))
    doc = export.document
    assert doc["services"] and doc["organizations"] and doc["locations"]
    for service in doc["services"]:
        _valid(validators["service"], service)
    for org in doc["organizations"]:
        _valid(validators["organization"], org)
    for place in doc["locations"]:
        _valid(validators["location"], place)
    for taxonomy in doc["taxonomies"]:
        _valid(validators["taxonomy"], taxonomy)
    linked = {link["location_id"] for s in doc["services"]
              for link in s.get("service_at_locations", [])}
    assert linked == {p["id"] for p in doc["locations"]}
    _check_meaning(doc)


@pytest.mark.parametrize("name", SEEDS)
def test_page_validates_against_the_official_schemas(validators, name):
    page = to_hsds_page(load_seed(name)).document
    assert page["total_items"] == page["size"] == len(page["contents"]) > 0
    assert page["first_page"] and page["last_page"] and not page["empty"]
    for service in page["contents"]:
        _valid(validators["service"], service)
        assert service["organization"]["id"] == service["organization_id"]


def _csv_rows(folder: Path) -> dict[str, list[dict[str, Any]]]:
    tables = {}
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == COLUMNS[path.stem]
            tables[path.stem] = [{k: float(v) if k in NUMBERS else v
                                  for k, v in row.items() if v != ""} for row in reader]
    return tables


@pytest.mark.parametrize("name", SEEDS)
def test_csv_package_validates_against_the_official_schemas(validators, name, tmp_path):
    write_hsds(load_seed(name), tmp_path / "paket", "hsds-csv")
    tables = _csv_rows(tmp_path / "paket")
    assert {"services", "organizations", "attributes", "taxonomy_terms"} <= set(tables)
    for table, rows in tables.items():
        for row in rows:
            _valid(validators[TABLE_SCHEMAS[table]], row)
    package = json.loads((tmp_path / "paket" / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} == {f"{t}.csv" for t in tables}
    terms = {r["id"] for r in tables["taxonomy_terms"]}
    assert {r["taxonomy_term_id"] for r in tables["attributes"]} <= terms


def test_validator_is_not_a_rubber_stamp(validators):
    service = to_hsds(load_seed("unna")).document["services"][0]
    broken = {**service, "status": "offen", "id": "keine-uuid"}
    assert len(list(validators["service"].iter_errors(broken))) >= 2


# -- fixed point and what is kept --------------------------------------------------------


def _same_content(net: Network, back: Network) -> None:
    served = {q for s in net.services for q in s.quarters}
    assert sorted((q.id, q.name, q.district) for q in back.quarters) == \
        sorted((q.id, q.name, q.district) for q in net.quarters if q.id in served)
    districts = {q.district for q in back.quarters}
    assert {(d.id, d.name, d.municipality) for d in back.districts} == \
        {(d.id, d.name, d.municipality) for d in net.districts if d.id in districts}
    assert [(p.id, p.name, p.kind, p.anchor) for p in back.providers] == \
        [(p.id, p.name, p.kind, p.anchor) for p in net.providers]
    keep = ("id", "name", "provider", "quarters", "life_stages", "fields", "target_groups",
            "languages", "access", "capacity_per_year", "capacity_unit", "language_bridge",
            "status", "valid_from", "valid_until", "contact_role", "site", "contact")
    assert [[getattr(s, k) for k in keep] for s in back.services] == \
        [[getattr(s, k) for k in keep] for s in net.services]
    assert sorted(back.transitions, key=lambda t: t.id) == sorted(net.transitions,
                                                                  key=lambda t: t.id)
    # an agreement's stated quarters travel where HSDS carries the quarter (a service
    # area or a site's); the others are left out and listed (test below)
    carried = {q for s in net.services for q in s.quarters} | {
        x.quarter for x in net.sites if x.quarter}
    assert sorted(back.agreements, key=lambda a: a.id) == sorted(
        (a.model_copy(update={"quarters": [q for q in a.quarters if q in carried]})
         for a in net.agreements), key=lambda a: a.id)
    assert sorted(f.key for f in back.referral_flows) == sorted(
        f.key for f in net.referral_flows)


@pytest.mark.parametrize("name", SEEDS)
def test_round_trip_keeps_the_chain_and_is_a_fixed_point(name):
    net = load_seed(name)
    export = to_hsds(net)
    result = from_hsds(json.loads(json.dumps(export.document)))
    assert result.notes == []  # our own data: nothing guessed, nothing left out
    _same_content(net, result.network)
    assert to_hsds(result.network).document == export.document
    # the analysis sees the same chain (social data and accepted findings are not HSDS)
    day = dt.date(2026, 3, 1)
    plain = net.with_sections(accepted_findings=[], measures=[], quarters=[
        q.model_copy(update={"social_data": []}) for q in net.quarters])
    assert sorted(f.key for f in check(result.network, day)) == sorted(
        f.key for f in check(plain, day))


@pytest.mark.parametrize("name", SEEDS)
def test_page_and_csv_package_are_fixed_points(name, tmp_path):
    net = load_seed(name)
    export = to_hsds_page(net)
    page = export.document
    once = to_hsds_page(from_hsds(json.loads(json.dumps(page))).network).document
    # providers without services travel beside the page's fields (issue 15, 3rd round)
    assert once == page
    lonely = {p.id for p in net.providers} - {s.provider for s in net.services}
    assert len(page.get("organizations", [])) == len(lonely)
    write_hsds(net, tmp_path / "a", "hsds-csv")
    write_hsds(read_hsds(tmp_path / "a").network, tmp_path / "b", "hsds-csv")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_generated_networks_survive_the_round_trip(net):
    export = to_hsds(net)
    result = from_hsds(json.loads(json.dumps(export.document)))
    _same_content(net, result.network)
    assert to_hsds(result.network).document == export.document
    tables = nest({k: [{c: str(v) for c, v in row.items()} for row in rows]
                   for k, rows in _flat(export.document).items()})
    assert to_hsds(from_hsds(tables).network).document == export.document


def _flat(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    from graph.formats.hsds_package import flatten

    return flatten(document)


def test_export_lists_what_it_leaves_out():
    from graph.model import Measure

    net = load_seed("brunnenstrasse")
    net = net.with_sections(measures=[Measure(id="m1", title="Vertrag erneuern",
                                              responsible=net.providers[0].id)])
    notes = to_hsds(net).not_exported
    assert any("Sozialraumdaten" in n for n in notes)
    assert any("1 Maßnahme, 0 akzeptierte Befunde und 0 Sitzungen" in n for n in notes)


# -- the specification's examples ---------------------------------------------------------

EXPECTED = {  # file -> (providers, services, site) or the start of the refusal
    "base.json": "enthält keine Angebote",
    "location.json": (0, 0, "MyCity Civic Center"),  # a site of its own (issue 15)
    "taxonomy.json": "enthält keine Angebote",
    "taxonomy_list.json": "enthält keine Angebote",
    "taxonomy_term.json": "enthält keine Angebote",
    "taxonomy_term_list.json": "enthält keine Angebote",
    "organization_list.json": (1, 0, None),
    "organization_full.json": (1, 1, "MyCity Civic Center"),
    "service_full.json": (1, 1, "MyCity Civic Center"),
    "service_list.json": (1, 1, None),
    "service_at_location_full.json": (1, 1, "MyCity Civic Center"),
    "service_at_location_list.json": (1, 1, "MyCity Civic Center"),
    "tabular.json": (1, 1, "MyCity Civic Center"),
    "csv": (1, 1, "MyCity Civic Center"),
}


def test_every_example_has_an_expected_outcome():
    assert {p.name for p in (HSDS / "examples").iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_the_specifications_examples(example, tmp_path):
    expected = EXPECTED[example]
    # by content, whatever the name
    source = HSDS / "examples" / example
    renamed = tmp_path / ("daten" if source.is_dir() else "daten.txt")
    if source.is_dir():
        shutil.copytree(source, renamed)
    else:
        shutil.copy(source, renamed)
    for path in (source, renamed):
        if isinstance(expected, str):
            with pytest.raises(FormatError, match=expected):
                read_hsds(path)
            continue
        result = read_hsds(path)
        providers, services, site = expected
        assert (len(result.network.providers), len(result.network.services)) == \
            (providers, services)
        # locations are sites of their own, the services name them
        assert [x.name for x in result.network.sites] == ([site] if site else [])
        if services:
            (service,) = result.network.services
            assert service.name == "Community Counselling"
            assert service.site is None
            assert [result.network.site_index[x].name for x in service.sites] == (
                [site] if site else [])
            assert service.contact is not None
            assert service.contact.email == "email@example.com"
            assert any("Alter der Anspruchsberechtigten" in n for n in result.notes)
            assert any(n.startswith("Nicht übernommen") for n in result.notes)
            # eligibility: aged 12 and over, beyond the chain's end
            assert service.life_stages == ["primary_school"]
        if "contacts" in json.dumps(_raw(source)):
            assert "Ann Persona" not in result.network.model_dump_json()  # roles only


def _raw(source: Path) -> Any:
    if source.is_dir():
        return read_package(source)
    return json.loads(source.read_text(encoding="utf-8"))


def test_listed_not_carried_over():
    notes = " ".join(read_hsds(HSDS / "examples" / "service_full.json").notes)
    assert "Kostenangaben (fees_description)" in notes
    assert "Zugangsvoraussetzungen (eligibility_description)" in notes
    assert "2 Namen von Kontaktpersonen" in notes  # the service's and its location's
    # the assumed field by its German name, not its code
    assert "Handlungsfeld „Teilhabe“ angenommen" in notes and "participation" not in notes


def test_old_exports_still_import():
    """An export written before issue 15 (attributes with link_entity 'lotsensystem')."""
    old = {"organizations": [], "services": [{
        "id": "a3e1c1de-6a1c-5f54-8d5f-6d7f1f4e1111", "name": "Babylotsen", "status": "active",
        "attributes": [{"id": "x", "link_type": t, "link_entity": "lotsensystem", "value": v}
                       for t, v in (("lotse_id", "babylotsen"), ("life_stage", "birth"),
                                    ("field", "health"))]}]}
    (service,) = from_hsds(old).network.services
    assert (service.id, service.life_stages, service.fields) == (
        "babylotsen", ["birth"], ["health"])


# -- the CLI --------------------------------------------------------------------------------


def test_cli_export_and_import_hsds(tmp_path):
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    result = lotse("export", "kette.hsds.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nicht übertragen" in result.stdout
    for shape, target in (("hsds-seiten", "seite.json"), ("hsds-csv", "paket")):
        written = lotse("export", target, "--format", shape, cwd=tmp_path)
        assert written.returncode == 0, written.stderr
        imported = lotse("import", target, "--store", f"{shape}.json", cwd=tmp_path)
        assert imported.returncode == 0, imported.stderr
    wrong = lotse("export", "x.json", "--format", "hsds-xml", cwd=tmp_path)
    assert wrong.returncode != 0 and "Unbekanntes Format" in wrong.stderr + wrong.stdout


def test_cli_reads_json_by_content_and_refuses_taxonomies(tmp_path):
    assert lotse("load", "unna", "--store", "s.json", cwd=tmp_path).returncode == 0
    before = (tmp_path / "s.json").read_bytes()
    refused = lotse("import", str(HSDS / "examples" / "taxonomy_list.json"), "--store",
                    "s.json", cwd=tmp_path)
    assert refused.returncode != 0
    assert "enthält keine Angebote" in refused.stderr + refused.stdout
    assert (tmp_path / "s.json").read_bytes() == before
    shutil.copy(HSDS / "examples" / "service_full.json", tmp_path / "angebot.json")
    good = lotse("import", "angebot.json", "--store", "s.json", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert "Excel" not in good.stderr + good.stdout


# -- fuzzing ----------------------------------------------------------------------------------

KEYS = ["id", "name", "description", "status", "services", "organizations", "locations",
        "organization_id", "organization", "languages", "service_areas", "attributes", "code",
        "minimum_age", "maximum_age", "contents", "link_entity", "link_type", "value",
        "service_at_locations", "location", "service", "location_id", "location_type",
        "taxonomy_term", "taxonomy", "phones", "number", "schedules", "contacts", "title",
        "url", "email", "organization_identifiers", "identifier_scheme", "identifier",
        "services.csv", "organizations.csv", "version", "openapi_url"]
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
    | st.sampled_from(["lotsensystem", "lotsensystem:lebensphase", "lotsensystem:kennung",
                       "active", "infant", "de", "x@y.de"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS), children, max_size=6), max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(JSONISH)
def test_fuzzed_hsds_never_crashes(doc):
    with contextlib.suppress(LotsenError):  # a clear, German refusal is fine; nothing else
        from_hsds(doc)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SEEDS), JSONISH)
def test_fuzzed_hsds_never_writes_partially(name, doc):
    """An import is all or nothing: a refused file leaves the stored file byte for byte."""
    with tempfile.TemporaryDirectory() as folder:
        repo = MemoryRepository(Path(folder) / "speicher.json")
        repo.replace(load_seed(name), "test")
        before = (Path(folder) / "speicher.json").read_bytes()
        try:
            imported = from_hsds(doc).network
        except LotsenError:
            assert (Path(folder) / "speicher.json").read_bytes() == before
        else:
            repo.replace(imported, "test")
            assert MemoryRepository(Path(folder) / "speicher.json").load() == imported


CELLS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["active", "12", "-1", "1e999", "nan", "lotsensystem:lebensphase", "infant",
     "a3e1c1de-6a1c-5f54-8d5f-6d7f1f4e1111", '{"id": 1}', ""])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(COLUMNS)), st.lists(
    st.dictionaries(st.sampled_from(["id", "name", "status", "organization_id", "service_id",
                                     "link_id", "taxonomy_term_id", "taxonomy", "code",
                                     "location_id", "value", "minimum_age", "number",
                                     "identifier_scheme", "identifier"]), CELLS, max_size=6),
    max_size=3), max_size=6))
def test_fuzzed_csv_packages_never_crash(tables):
    """The tabular importer on random CSV files: a result or a German refusal."""
    with tempfile.TemporaryDirectory() as folder:
        for table, rows in tables.items():
            columns = sorted({k for r in rows for k in r}) or ["id"]
            with (Path(folder) / f"{table}.csv").open("w", encoding="utf-8",
                                                       newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        with contextlib.suppress(LotsenError):
            read_hsds(Path(folder))


def test_fuzzed_mutations_of_our_own_export_never_crash():
    doc = to_hsds(load_seed("unna")).document
    for i, service in enumerate(doc["services"]):
        broken = json.loads(json.dumps(doc))
        broken["services"][i]["attributes"][0]["value"] = "kein gültiger Wert!"
        broken["services"][i]["service_areas"] = [{"id": "x", "name": 3}]
        with contextlib.suppress(LotsenError):
            from_hsds(broken)
        assert service["name"]


def test_write_package_rows(tmp_path):
    write_package(to_hsds(load_seed("unna")).document, tmp_path / "p")
    assert (tmp_path / "p" / "services.csv").read_text(encoding="utf-8").startswith(
        ",".join(COLUMNS["services"]))


# -- the Werkstatt's upload ---------------------------------------------------------------------


def test_werkstatt_reads_hsds_json_by_content(tmp_path):
    import io

    from tests.werkstatt import csrf, log_in, werkstatt

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("unna"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    before = (tmp_path / "speicher.json").read_bytes()

    def upload(name: str, content: bytes) -> Any:
        page = client.get("/austausch").text
        return client.post("/austausch/vorschau", data={"csrf": csrf(page)},
                           files={"datei": (name, io.BytesIO(content))})

    good = upload("angebote.json", (HSDS / "examples" / "service_full.json").read_bytes())
    assert good.status_code == 200, good.text[:500]
    assert "Vorschau" in good.text and "Excel" not in good.text
    refused = upload("begriffe.json", (HSDS / "examples" / "taxonomy_list.json").read_bytes())
    assert refused.status_code >= 400
    assert "enthält keine Angebote" in refused.text
    assert (tmp_path / "speicher.json").read_bytes() == before


def test_werkstatt_hsds_package_download_reads_back(tmp_path):
    import io
    import zipfile

    from tests.werkstatt import csrf, log_in, werkstatt

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("unna"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    r = client.get("/austausch/export/kette-hsds-csv.zip")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "services.csv" in names and "datapackage.json" in names
    page = client.get("/austausch").text
    back = client.post("/austausch/vorschau", data={"csrf": csrf(page)},
                       files={"datei": ("verzeichnis.zip", io.BytesIO(r.content))})
    assert back.status_code == 200 and "Vorschau" in back.text


def test_import_kind_follows_the_content(tmp_path):
    from graph.formats.csvfolder import write_folder
    from graph.formats.detect import import_kind
    from graph.formats.document import save
    from graph.formats.workbook import write_workbook

    net = load_seed("unna")
    write_workbook(net, tmp_path / "kette.xlsx")
    shutil.copy(tmp_path / "kette.xlsx", tmp_path / "kette-ohne-endung")
    save(net, tmp_path / "kette.json")
    save(net, tmp_path / "kette.yaml")
    write_folder(net, tmp_path / "tabellen")
    write_hsds(net, tmp_path / "paket", "hsds-csv")
    shutil.copy(HSDS / "examples" / "service_list.json", tmp_path / "liste.txt")
    assert [import_kind(tmp_path / n) for n in (
        "kette.xlsx", "kette-ohne-endung", "kette.json", "kette.yaml", "tabellen", "paket",
        "liste.txt", "fehlt.json")] == [
        "workbook", "workbook", "document", "document", "tables", "hsds", "hsds", "hsds"]
