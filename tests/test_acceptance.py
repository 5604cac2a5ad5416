"""Accepted findings (issue 13): stored in the network, journaled, hidden until their date;
and the schema version that added them (old files load unchanged)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.backends.memory import MemoryRepository
from graph.errors import InvalidNetworkError, NotFoundError
from graph.formats import document
from graph.journal import Edit
from graph.model import AcceptedFinding
from lotsen.acceptance import acceptance, triage
from lotsen.check import check
from seeds import load_seed

DATA = Path(__file__).resolve().parent / "data"
AS_OF = dt.date(2026, 11, 22)
NET = load_seed("dortmund")
FINDINGS = check(NET, AS_OF)
KEYS = [f.stable_key for f in FINDINGS]


def accepted(keys: list[str], until: dt.date | None = None) -> list[AcceptedFinding]:
    return [AcceptedFinding(key=k, reason="geprüft, bewusst so", by="Koordination",
                            on=AS_OF, until=until) for k in keys]


def test_keys_are_unique_and_stable():
    assert len(set(KEYS)) == len(KEYS)
    assert [f.stable_key for f in check(load_seed("dortmund"), AS_OF)] == KEYS


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(KEYS), unique=True),
       st.integers(min_value=-400, max_value=400), st.integers(min_value=0, max_value=800))
def test_accepting_never_adds_a_finding(keys, until_offset, day_offset):
    net = NET.with_sections(accepted_findings=accepted(
        keys, AS_OF + dt.timedelta(days=until_offset)))
    day = AS_OF + dt.timedelta(days=day_offset)
    found = check(net, day)
    t = triage(net, found, day)
    assert set(t.open) <= set(found)
    assert len(t.open) + len(t.accepted) == len(found)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(KEYS), min_size=1, unique=True),
       st.integers(min_value=0, max_value=300), st.integers(min_value=1, max_value=300))
def test_an_accepted_finding_returns_after_its_date(keys, until_offset, after):
    until = AS_OF + dt.timedelta(days=until_offset)
    net = NET.with_sections(accepted_findings=accepted(keys, until))
    hidden = triage(net, FINDINGS, until)
    assert not {f.stable_key for f in hidden.open} & set(keys)
    back = triage(net, FINDINGS, until + dt.timedelta(days=after))
    assert set(keys) <= {f.stable_key for f in back.open}
    assert {f.stable_key for f, _ in back.expired} == set(keys)


def test_acceptance_of_a_finding_that_is_gone_is_listed_as_resolved():
    net = NET.with_sections(accepted_findings=accepted(["PEARL/gibt-es-nicht"]))
    assert [a.key for a in triage(net, FINDINGS, AS_OF).resolved] == ["PEARL/gibt-es-nicht"]


def test_accepting_an_unknown_or_malformed_key_says_so():
    with pytest.raises(NotFoundError, match="Befund"):
        acceptance(NET, "PEARL/sprachbilderbuechr", "x", "Koordination", AS_OF,
                   findings=FINDINGS)
    with pytest.raises(InvalidNetworkError, match="Feld 'key'"):
        acceptance(NET, "kein schlüssel", "x", "Koordination", AS_OF, findings=FINDINGS)
    with pytest.raises(InvalidNetworkError, match="Feld 'until'"):
        acceptance(NET, KEYS[0], "x", "Koordination", AS_OF, AS_OF - dt.timedelta(days=1),
                   findings=FINDINGS)


def test_acceptance_is_stored_and_journaled(tmp_path):
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.save(NET)
    a = acceptance(NET, "PEARL/sprachbilderbuecher", "Kampagne", "Koordination", AS_OF,
                   dt.date(2027, 6, 30), findings=FINDINGS)
    _, entry = repo.apply(Edit("accepted_findings", a.key, a, "Koordination"))
    assert entry.actor == "Koordination" and entry.action == "create"
    again = MemoryRepository(tmp_path / "speicher.json")
    assert again.load().accepted_findings == [a]
    assert [e.entity_id for e in again.journal().entries if
            e.section == "accepted_findings"] == ["PEARL/sprachbilderbuecher"]


def test_accepted_findings_round_trip_through_the_document():
    net = NET.with_sections(accepted_findings=accepted(KEYS[:2], dt.date(2027, 1, 31)))
    text = document.dumps(net)
    assert "schema_version: 3" in text and "accepted_findings:" in text
    assert document.loads(text) == net


def test_a_file_of_schema_version_1_loads_unchanged():
    text = (DATA / "netzwerk-schema-1.yaml").read_text(encoding="utf-8")
    old = yaml.safe_load(text)
    assert old["schema_version"] == 1
    net = document.load(DATA / "netzwerk-schema-1.yaml")
    assert net.accepted_findings == []
    again = document.to_data(net)
    assert again.pop("schema_version") == 3
    old.pop("schema_version")
    assert json.loads(json.dumps(again, default=str)) == json.loads(json.dumps(old, default=str))


def test_a_store_of_schema_version_1_loads(tmp_path):
    shutil.copy(DATA / "speicher-schema-1.json", tmp_path / "speicher.json")
    net = MemoryRepository(tmp_path / "speicher.json").load()
    assert net == document.load(DATA / "netzwerk-schema-1.yaml")


def test_a_newer_schema_version_is_refused():
    text = (DATA / "netzwerk-schema-1.yaml").read_text(encoding="utf-8")
    with pytest.raises(InvalidNetworkError, match="Schema-Version 4"):
        document.loads(text.replace("schema_version: 1", "schema_version: 4"))
