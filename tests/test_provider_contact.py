"""A provider's institutional contact data (issue 15): web site, e-mail, phone – in the
model, the document, Excel/CSV, HSDS (organization website/email/phones) and the
Werkstatt form. Never a person's data; opening hours belong to services and sites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from graph.backends.memory import MemoryRepository
from graph.contact import ProviderContact
from graph.formats.csvfolder import read_folder, write_folder
from graph.formats.document import dumps, loads
from graph.formats.hsds import from_hsds, read_hsds, to_hsds, write_hsds
from graph.formats.workbook import read_workbook, write_workbook
from graph.model import Provider
from graph.network import Network
from seeds import load_seed
from tests.werkstatt import csrf, form_of, log_in, werkstatt

HSDS = Path(__file__).resolve().parent.parent.parent / "shared" / "hsds"


def with_contacts() -> Network:
    net = load_seed("brunnenstrasse")
    contacts = {"awo-do": {"url": "www.awo-dortmund.de", "email": "info@awo-dortmund.de",
                           "phone": "0231 99 34-0"},
                "jugendamt-do": {"phone": "+49 231 50-0"}}
    providers = [p.model_copy(update={"contact": ProviderContact(**contacts[p.id])})
                 if p.id in contacts else p for p in net.providers]
    return net.with_sections(providers=providers)


def test_model_checks_each_field_and_knows_no_opening_hours():
    p = Provider(id="awo", name="AWO", kind="Freie Wohlfahrtspflege",
                 contact={"url": "www.awo.de", "email": "info@awo.de", "phone": "0231 1234"})
    assert p.contact is not None and p.contact.url == "https://www.awo.de"
    assert Provider(id="x", name="X", kind="public", contact={}).contact is None
    with pytest.raises(ValueError, match="Telefonnummer 'ruf an' ist ungültig"):
        Provider(id="x", name="X", kind="public", contact={"phone": "ruf an"})
    with pytest.raises(ValueError, match="opening_hours"):
        Provider(id="x", name="X", kind="public", contact={"opening_hours": "Mo 8–12"})


def test_document_workbook_and_csv_round_trip(tmp_path):
    net = with_contacts()
    assert loads(dumps(net)) == net
    assert loads(dumps(net, "json")) == net
    assert "email: info@awo-dortmund.de" in dumps(net)
    write_workbook(net, tmp_path / "kette.xlsx")
    assert read_workbook(tmp_path / "kette.xlsx").network == net
    write_folder(net, tmp_path / "csv")
    header = (tmp_path / "csv" / "Träger.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith("Webseite;E-Mail;Telefon") or header.endswith(
        "Webseite,E-Mail,Telefon"), header
    assert read_folder(tmp_path / "csv").network == net


def test_bad_email_in_the_sheet_names_sheet_row_and_column(tmp_path):
    write_folder(with_contacts(), tmp_path / "csv")
    path = tmp_path / "csv" / "Träger.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(
        "info@awo-dortmund.de", "info(at)awo-dortmund.de"), encoding="utf-8-sig")
    report = read_folder(tmp_path / "csv")
    assert not report.ok
    (problem,) = report.problems
    assert (problem.sheet, problem.column) == ("Träger", "E-Mail") and problem.row > 1
    assert "keine persönliche" in problem.message


@pytest.fixture(scope="module")
def organization_schema() -> Draft202012Validator:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8"))
               for p in (HSDS / "schema").glob("*.json") if p.name != "openapi.json"}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return Draft202012Validator(schemas["organization.json"], registry=registry)


def test_hsds_writes_website_email_phones_and_reads_them_back(organization_schema, tmp_path):
    net = with_contacts()
    doc = to_hsds(net).document
    awo = next(o for o in doc["organizations"]
               if o["organization_identifiers"][0]["identifier"] == "awo-do")
    assert not list(organization_schema.iter_errors(awo))
    assert (awo["website"], awo["email"]) == ("https://www.awo-dortmund.de",
                                             "info@awo-dortmund.de")
    assert [p["number"] for p in awo["phones"]] == ["0231 99 34-0"]
    back = from_hsds(json.loads(json.dumps(doc))).network
    assert back.provider_index["awo-do"].contact == net.provider_index["awo-do"].contact
    assert back.provider_index["jugendamt-do"].contact == ProviderContact(phone="+49 231 50-0")
    assert to_hsds(back).document == doc
    write_hsds(net, tmp_path / "paket", "hsds-csv")
    assert "0231 99 34-0" in (tmp_path / "paket" / "phones.csv").read_text(encoding="utf-8")
    assert read_hsds(tmp_path / "paket").network.provider_index["awo-do"].contact == \
        net.provider_index["awo-do"].contact


def test_foreign_organization_contact_is_read_and_a_bad_one_named():
    result = read_hsds(HSDS / "examples" / "organization_full.json")
    (provider,) = result.network.providers
    assert provider.contact == ProviderContact(url="http://example.com",
                                               email="email@example.com",
                                               phone="+44 1234 234567")
    notes = " ".join(result.notes)
    assert "Webseiten (website)" not in notes and "E-Mail-Adressen (email)" not in notes
    bad = from_hsds({"organizations": [{"id": "o1", "name": "Verein", "description": "d",
                                        "email": "kein-at", "website": "https://verein.de"}]})
    (provider,) = bad.network.providers
    assert provider.contact == ProviderContact(url="https://verein.de")
    assert any("Träger 'o1': email 'kein-at' ist ungültig" in n for n in bad.notes)


def test_werkstatt_form_edits_the_provider_contact(tmp_path):
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("brunnenstrasse"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    page = client.get("/bearbeiten/traeger/awo-do").text
    assert "Webseite" in page and "Öffnungszeiten" not in page
    form = form_of(page)
    r = client.post("/bearbeiten/traeger/awo-do", data={
        **form, "contact_url": "www.awo-dortmund.de", "contact_email": "info@awo-dortmund.de",
        "contact_phone": "0231 99 34-0"})
    assert r.status_code == 303, r.text
    assert repo.load().provider_index["awo-do"].contact == ProviderContact(
        url="https://www.awo-dortmund.de", email="info@awo-dortmund.de", phone="0231 99 34-0")
    page = client.get("/bearbeiten/traeger/awo-do").text
    bad = client.post("/bearbeiten/traeger/awo-do", data={**form_of(page),
                                                          "contact_email": "ich(at)awo.de"})
    assert bad.status_code == 422 and "E-Mail-Adresse" in bad.text
    assert csrf(bad.text)
