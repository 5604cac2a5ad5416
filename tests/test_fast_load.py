"""Evidence for issue 18: the trusted (fast) read of a store gives exactly what the full
pydantic path gives – the same network, the same findings – on every seed and on
generated networks; a row changed by hand is never trusted."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from graph.backends import sqlite_rows
from graph.backends.sqlite import SqliteRepository
from graph.errors import StoreCorruptError
from graph.formats.document import parse
from graph.formats.trusted import trusted_network
from graph.journal import Edit
from graph.network import ALL_SECTIONS, Network
from lotsen.check import check
from seeds import list_seeds, load_seed
from seeds.synthetic import generate
from tests.strategies import networks
from tests.test_sites import networks_with_sites, with_sites

DAYS = (dt.date(2025, 1, 15), dt.date(2026, 6, 30), dt.date(2028, 3, 1))


def _both(path: Path) -> tuple[Network | None, Network]:
    """What the store's trusted read makes (None: it refused) and the full validation."""
    conn = sqlite3.connect(path)
    try:
        header = json.loads(sqlite_rows.meta(conn, "network") or "{}")
        trusted = sqlite_rows._read_trusted(conn, header)
        document: dict[str, object] = {"name": header["name"]}
        if header.get("description"):
            document["description"] = header["description"]
        if header.get("catalogue") is not None:
            document["catalogue"] = header["catalogue"]
        for section in ALL_SECTIONS:
            document[section] = [json.loads(r[0]) for r in conn.execute(
                "SELECT data FROM entities WHERE section = ? AND data IS NOT NULL "
                "ORDER BY pos", (section,))]
        full = parse(document)
    finally:
        conn.close()
    return (None if trusted is None else trusted[0]), full


def _findings(net: Network) -> list[list[dict[str, object]]]:
    return [[f.to_dict() for f in check(net, day)] for day in DAYS]


def _stored(tmp_path: Path, net: Network, name: str = "kette.sqlite") -> Path:
    path = tmp_path / name
    with SqliteRepository(path) as repo:
        repo.save(net)
    return path


SEEDS = [s.name for s in list_seeds()]
GENERATED = [(3, 0), (4, 1), (5, 2)]


@pytest.mark.parametrize("seed", SEEDS)
def test_trusted_read_of_every_seed_equals_the_full_path(tmp_path: Path, seed: str) -> None:
    original = load_seed(seed)
    trusted, full = _both(_stored(tmp_path, original))
    assert trusted is not None, "the store's own rows must be read without validating"
    assert trusted == full == original
    assert _findings(trusted) == _findings(full)


@pytest.mark.parametrize(("quarters", "seed"), GENERATED)
def test_trusted_read_of_generated_networks_equals_the_full_path(
        tmp_path: Path, quarters: int, seed: int) -> None:
    original = generate(quarters=quarters, services_per_quarter=30, seed=seed).network
    trusted, full = _both(_stored(tmp_path, original))
    assert trusted is not None
    assert trusted == full == original
    assert _findings(trusted) == _findings(full)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks())
def test_trusted_decoding_equals_pydantic_on_random_networks(net: Network) -> None:
    """Every field shape the models have (dates, enums, nested models, defaults)."""
    sections = {s: [sqlite_rows._dump(e).encode() for e in getattr(net, s)]
                for s in ALL_SECTIONS}
    header = {"name": net.name, "description": net.description}
    rebuilt = trusted_network(header, sections)
    assert rebuilt == net
    for section in ALL_SECTIONS:
        for a, b in zip(getattr(rebuilt, section), getattr(net, section), strict=True):
            assert a.model_dump(mode="json", exclude_defaults=True) == \
                b.model_dump(mode="json", exclude_defaults=True)


def test_edits_keep_the_checksum_so_the_next_read_is_still_trusted(tmp_path: Path) -> None:
    net = load_seed("brunnenstrasse")
    path = _stored(tmp_path, net)
    with SqliteRepository(path) as repo:
        service = net.services[0]
        repo.apply(Edit("services", service.id, service.model_copy(update={"name": "Neu"}),
                        "test"))
        counted = {f.transition for f in net.referral_flows}
        transition = next(t for t in net.transitions if t.id not in counted)
        repo.apply(Edit("transitions", transition.id, None, "test"))
        added = service.model_copy(update={"id": "neu-1", "name": "Ganz neu"})
        repo.apply(Edit("services", added.id, added, "test"))
        expected = repo.load()
        versions = repo.journal().versions
    trusted, full = _both(path)
    assert trusted is not None
    assert trusted == full == expected
    fresh = SqliteRepository(path)
    assert fresh.load() == expected
    assert fresh.journal().versions == versions  # the deleted transition's version too
    assert versions[f"transitions/{transition.id}"] == 2


def test_a_row_changed_by_hand_is_validated_in_full(tmp_path: Path) -> None:
    net = load_seed("brunnenstrasse")
    path = _stored(tmp_path, net)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE entities SET data = json_set(data, '$.name', 'Von Hand') "
                     "WHERE section = 'services' AND id = ?", (net.services[0].id,))
    conn.close()
    trusted, full = _both(path)
    assert trusted is None  # the checksum no longer adds up
    assert full.services[0].name == "Von Hand"
    assert SqliteRepository(path).load() == full


def test_an_invalid_row_written_by_hand_is_caught(tmp_path: Path) -> None:
    net = load_seed("brunnenstrasse")
    path = _stored(tmp_path, net)
    conn = sqlite3.connect(path)
    with conn:  # a reference that does not resolve
        conn.execute("UPDATE entities SET data = json_set(data, '$.provider', 'gibt-es-nicht') "
                     "WHERE section = 'services' AND id = ?", (net.services[0].id,))
    conn.close()
    with pytest.raises(StoreCorruptError, match="gibt-es-nicht"):
        SqliteRepository(path).load()


def test_a_store_without_checksum_is_validated_in_full(tmp_path: Path) -> None:
    """Stores written before issue 18 carry no checksum; edits do not invent one."""
    net = load_seed("brunnenstrasse")
    path = _stored(tmp_path, net)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (sqlite_rows.CONTENT_SUM,))
    conn.close()
    with SqliteRepository(path) as repo:
        service = net.services[0]
        repo.apply(Edit("services", service.id, service.model_copy(update={"name": "Neu"}),
                        "test"))
    trusted, full = _both(path)
    assert trusted is None
    assert full.services[0].name == "Neu"


def _with_later_fields(net: Network) -> Network:
    """Sites, a provider's contact, an agreement's stated quarters (issues 15/16), a
    transition's cooperation assessments, data protection and start (issue 17)."""
    from graph.contact import ProviderContact
    from graph.cooperation import CooperationAssessment, DataProtection

    net = with_sites()
    t = net.transitions[0]
    transitions = [t.model_copy(update={
        "valid_from": dt.date(2025, 8, 1),
        "cooperation": [CooperationAssessment(level=4, on=dt.date(2025, 3, 1), by="Koordination"),
                        CooperationAssessment(level=2, on=dt.date(2026, 3, 1), by="Koordination")],
        "data_protection": DataProtection(passes="contact", basis=["written_consent"])}),
        *net.transitions[1:]]
    providers = [net.providers[0].model_copy(update={"contact": ProviderContact(phone="0231 1")}),
                 *net.providers[1:]]
    agreements = [net.agreements[0].model_copy(update={"quarters": ["brunnenstrasse"]}),
                  *net.agreements[1:]]
    return net.with_sections(transitions=transitions, providers=providers,
                             agreements=agreements)


def test_trusted_read_carries_sites_contacts_cooperation_and_stated_quarters(
        tmp_path: Path) -> None:
    original = _with_later_fields(load_seed("brunnenstrasse"))
    trusted, full = _both(_stored(tmp_path, original))
    assert trusted is not None and trusted == full == original
    assert _findings(trusted) == _findings(full)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks_with_sites())
def test_trusted_decoding_equals_pydantic_on_random_networks_with_sites(net: Network) -> None:
    sections = {s: [sqlite_rows._dump(e).encode() for e in getattr(net, s)]
                for s in ALL_SECTIONS}
    assert trusted_network({"name": net.name, "description": net.description},
                           sections) == net
