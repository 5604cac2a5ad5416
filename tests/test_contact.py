"""Institutional contact data of a service: checked with German messages, kept by every
format (document, Excel/CSV, HSDS) and editable in the Werkstatt."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph.backends.memory import MemoryRepository
from graph.contact import Contact
from graph.errors import InvalidNetworkError
from graph.formats.document import dumps, loads
from graph.formats.hsds import from_hsds, to_hsds
from graph.formats.tables import from_tables, to_tables
from graph.network import Network
from seeds import load_seed
from tests.werkstatt import csrf, form_of, log_in, werkstatt

KITA = Contact(url="www.kita-bornstrasse.de", email="kita.bornstrasse@stadt.dortmund.de",
               phone="0231 50-12345", opening_hours="Mo–Fr 7–16 Uhr")


def _with_contact(contact: Contact | None = KITA) -> Network:
    net = load_seed("brunnenstrasse")
    first = net.services[0].model_copy(update={"contact": contact})
    return net.with_sections(services=[first, *net.services[1:]])


@pytest.mark.parametrize(("field", "value", "words"), [
    ("email", "info(at)awo.de", "E-Mail-Adresse 'info(at)awo.de' ist ungültig"),
    ("email", "anna müller@awo.de", "E-Mail-Adresse"),
    ("url", "awo dortmund", "Webadresse 'awo dortmund' ist ungültig"),
    ("url", "ftp://awo.de", "Webadresse"),
    ("phone", "Zentrale", "Telefonnummer 'Zentrale' ist ungültig"),
    ("phone", "12", "Telefonnummer"),
])
def test_bad_contact_data_gets_a_german_message(field, value, words):
    with pytest.raises(ValidationError) as caught:
        Contact(**{field: value})
    assert words in str(caught.value)


def test_good_contact_data_is_kept_as_written():
    c = Contact(url="https://www.awo-dortmund.de/kita?id=3", email="info@awo-dortmund.de",
                phone="+49 (231) 99 34-0", opening_hours="Di 9–12 Uhr\nDo 14–18 Uhr")
    assert c.url == "https://www.awo-dortmund.de/kita?id=3" and c.phone == "+49 (231) 99 34-0"
    assert KITA.url == "https://www.kita-bornstrasse.de"  # www. gets its scheme


def test_the_document_keeps_contact_data_and_names_bad_fields():
    net = _with_contact()
    text = dumps(net)
    assert "opening_hours: Mo–Fr 7–16 Uhr" in text
    assert loads(text) == net
    broken = text.replace("kita.bornstrasse@stadt.dortmund.de", "kita.bornstrasse")
    with pytest.raises(InvalidNetworkError) as caught:
        loads(broken, source="kette.yaml")
    message = str(caught.value)
    assert "Feld 'contact.email'" in message and "E-Mail-Adresse" in message


def test_old_documents_without_contact_data_load_unchanged():
    old = Path(__file__).parent / "data" / "netzwerk-schema-1.yaml"
    net = loads(old.read_text(encoding="utf-8"))
    assert all(s.contact is None for s in net.services)


def test_tables_have_one_column_per_contact_field():
    net = _with_contact()
    tables = to_tables(net)
    row = tables["Angebote"][0]
    assert (row["Webseite"], row["E-Mail"], row["Telefon"], row["Öffnungszeiten"]) == (
        KITA.url, KITA.email, KITA.phone, KITA.opening_hours)
    assert from_tables(tables).network == net
    row["Telefon"] = "Zentrale anrufen"
    problems = [str(p) for p in from_tables(tables).problems]
    assert problems == ["Blatt 'Angebote', Zeile 2, Spalte 'Telefon': Telefonnummer "
                        "'Zentrale anrufen' ist ungültig: erlaubt sind Ziffern, Leerzeichen "
                        "und + / - ( ), z. B. 0231 50-12345 oder +49 231 5012345."]


def test_hsds_carries_contact_data_in_its_own_fields():
    net = _with_contact()
    service = to_hsds(net).document["services"][0]
    assert service["url"] == KITA.url and service["email"] == KITA.email
    assert [p["number"] for p in service["phones"]] == [KITA.phone]
    assert [s["description"] for s in service["schedules"]] == [KITA.opening_hours]
    back = from_hsds(json.loads(json.dumps(to_hsds(net).document))).network
    assert back.services[0].contact == KITA


def test_werkstatt_form_edits_contact_data(tmp_path):
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    sid = "kita-bornstrasse"
    page = client.get(f"/bearbeiten/angebote/{sid}").text
    assert "Öffnungszeiten" in page and "Webseite" in page
    form = form_of(page)
    form.update({"contact_email": "kita(at)dortmund.de", "contact_phone": "0231 50-1"})
    bad = client.post(f"/bearbeiten/angebote/{sid}", data=form)
    assert bad.status_code == 422
    text = html.unescape(bad.text)
    assert 'href="#f-contact_email"' in text and "E-Mail-Adresse 'kita(at)dortmund.de'" in text
    assert repo.load().service_index[sid].contact is None
    form = form_of(client.get(f"/bearbeiten/angebote/{sid}").text)
    form.update({"contact_email": "kita@dortmund.de", "contact_opening_hours": "Mo–Fr 7–16"})
    assert client.post(f"/bearbeiten/angebote/{sid}", data=form).status_code == 303
    assert repo.load().service_index[sid].contact == Contact(
        email="kita@dortmund.de", opening_hours="Mo–Fr 7–16")
    page = client.get(f"/bearbeiten/angebote/{sid}").text
    assert 'value="kita@dortmund.de"' in page
    form = form_of(page)
    form.update({"contact_email": "", "contact_opening_hours": ""})
    assert client.post(f"/bearbeiten/angebote/{sid}", data=form).status_code == 303
    assert repo.load().service_index[sid].contact is None
    assert csrf(page)


@pytest.fixture(params=["file", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "file":
        yield MemoryRepository(tmp_path / "speicher.json")
        return
    from graph.backends.neo4j import Neo4jRepository

    repo = Neo4jRepository.from_uri(request.getfixturevalue("neo4j_uri"))
    repo.clear()
    yield repo
    repo.close()


def test_every_store_keeps_contact_data(store):
    net = _with_contact()
    store.replace(net, "test")
    assert store.load().services[0].contact == KITA
    assert store.load() == net
