"""The network document: exact round trip, and clear German messages for bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given

from graph.errors import FormatError, InvalidNetworkError
from graph.formats import document
from graph.network import Network
from seeds import load_seed
from tests.strategies import networks

DOCS = Path(__file__).resolve().parent.parent / "docs"


@given(networks())
def test_yaml_round_trip_is_exact(net: Network) -> None:
    assert document.loads(document.dumps(net)) == net


@given(networks())
def test_json_round_trip_is_exact(net: Network) -> None:
    assert document.loads(document.dumps(net, "json")) == net


def test_seed_round_trip_through_file(tmp_path):
    net = load_seed("dortmund")
    target = tmp_path / "dortmund.yaml"
    document.save(net, target)
    assert document.load(target) == net
    document.save(net, tmp_path / "dortmund.json")
    assert document.load(tmp_path / "dortmund.json") == net


def test_format_doc_example_is_valid():
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    full = [b for b in blocks if b.startswith("format: lotsensystem-netzwerk")]
    assert full, "docs/format.md braucht ein vollständiges Beispiel"
    net = document.loads(full[0], source="docs/format.md")
    assert net.services and net.transitions and net.agreements


GOOD = """\
name: Testkette
municipalities:
- id: do
  name: Dortmund
districts:
- id: nord
  name: Nord
  municipality: do
quarters:
- id: q
  name: Quartier
  district: nord
providers:
- id: awo
  name: AWO Dortmund
  kind: free_welfare
services:
- id: kita
  name: Kita
  provider: awo
  quarters: [q]
  life_stages: [preschool]
  fields: [education]
agreements:
- id: vertrag
  name: Vertrag
  kind: cooperation_contract
  parties: [awo]
  valid_until: 2027-12-31
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kette.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InvalidNetworkError) as info:
        document.load(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_good_document_loads(tmp_path):
    net = document.load(write(tmp_path, GOOD))
    assert net.services[0].provider == "awo"


def test_unknown_reference_names_file_line_id_field(tmp_path):
    msgs = problems(tmp_path, GOOD.replace("provider: awo", "provider: AWO Dortmnd"))
    assert msgs == [f"{tmp_path / 'kette.yaml'}:20: Angebot 'kita', Feld 'provider': Träger "
                    "'AWO Dortmnd' ist unbekannt. Meinten Sie 'awo' (AWO Dortmund)?"]


def test_duplicate_id(tmp_path):
    msgs = problems(tmp_path, GOOD.replace("- id: vertrag", "- id: kita"))
    assert len(msgs) == 1
    assert ":25: Vereinbarung 'kita', Feld 'id': Die Kennung 'kita' ist doppelt vergeben" \
        in msgs[0]


def test_date_in_wrong_format(tmp_path):
    msgs = problems(tmp_path, GOOD.replace("valid_until: 2027-12-31", "valid_until: 31/12/2027"))
    assert len(msgs) == 1
    assert ":29: Vereinbarung 'vertrag', Feld 'valid_until': Datum '31/12/2027' hat das " \
           "falsche Format" in msgs[0]
    assert "JJJJ-MM-TT" in msgs[0]


def test_impossible_date(tmp_path):
    msgs = problems(tmp_path, GOOD.replace("valid_until: 2027-12-31", "valid_until: 31.02.2027"))
    assert "Datum '31.02.2027' hat das falsche Format oder existiert nicht" in msgs[0]


def test_german_date_is_accepted(tmp_path):
    net = document.load(write(tmp_path, GOOD.replace("2027-12-31", "31.12.2027")))
    assert net.agreements[0].valid_until is not None
    assert net.agreements[0].valid_until.isoformat() == "2027-12-31"


def test_unknown_life_stage(tmp_path):
    msgs = problems(tmp_path, GOOD.replace("life_stages: [preschool]", "life_stages: [kita]"))
    assert len(msgs) == 1
    assert "Angebot 'kita', Feld 'life_stages': Lebensphase 'kita' ist unbekannt." in msgs[0]
    assert "pregnancy" in msgs[0]  # lists the known stages when nothing is close


def test_empty_required_field(tmp_path):
    msgs = problems(tmp_path, GOOD.replace("  name: Kita\n", "  name: ''\n"))
    assert msgs == [f"{tmp_path / 'kette.yaml'}:19: Angebot 'kita', Feld 'name': "
                    "Pflichtfeld ist leer."]


def test_missing_required_field_and_enum(tmp_path):
    text = GOOD.replace("  kind: free_welfare\n", "").replace("cooperation_contract", "vertrag")
    msgs = problems(tmp_path, text)
    assert any("Träger 'awo', Feld 'kind': Pflichtfeld fehlt." in m for m in msgs)
    assert any("Vereinbarung 'vertrag', Feld 'kind': Wert 'vertrag' ist nicht erlaubt; "
               "möglich sind: Kooperationsvertrag (cooperation_contract)" in m for m in msgs)


def test_all_problems_at_once_without_cascade(tmp_path):
    text = GOOD.replace("  kind: free_welfare\n", "").replace("valid_until: 2027-12-31",
                                                              "valid_until: bald")
    text = text.replace("fields: [education]", "fields: [education]\n  farbe: rot")
    msgs = problems(tmp_path, text)
    assert len(msgs) == 3  # no follow-up "Träger 'awo' ist unbekannt" for the broken provider
    assert any("Feld 'farbe': Unbekanntes Feld" in m for m in msgs)


def test_yaml_syntax_error_has_line(tmp_path):
    path = write(tmp_path, GOOD.replace("  quarters: [q]", "  quarters: [q"))
    with pytest.raises(FormatError) as info:
        document.load(path)
    assert str(info.value).startswith(f"{path}, Zeile ")
    assert info.value.line is not None and 21 <= info.value.line <= 22
    assert "YAML-Syntaxfehler" in str(info.value)


def test_not_a_mapping_and_missing_file(tmp_path):
    with pytest.raises(FormatError, match="YAML-Zuordnung"):
        document.load(write(tmp_path, "- a\n- b\n"))
    with pytest.raises(FormatError, match="Die Datei gibt es nicht"):
        document.load(tmp_path / "fehlt.yaml")


def test_unknown_section_and_newer_schema(tmp_path):
    msgs = problems(tmp_path, "schema_version: 99\n" + GOOD + "kinder: []\n")
    assert any("Schema-Version 99 wird nicht unterstützt" in m for m in msgs)
    assert any("Feld 'kinder': Unbekannter Abschnitt" in m for m in msgs)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD.replace("Quartier", "Straße").encode("latin-1"))
    with pytest.raises(FormatError, match="UTF-8"):
        document.load(path)
