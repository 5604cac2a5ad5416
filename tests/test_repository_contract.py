"""The storage contract: every backend passes the same tests.

Backends: the embedded store in memory only (the unit-test fake), kept in a JSON file,
the SQLite database (the embedded default) and a real Neo4j server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backends.memory import MemoryRepository
from graph.errors import ConflictError, InvalidNetworkError, NotFoundError, StoreError
from graph.model import Provider, Service
from graph.network import Network
from graph.repository import Repository, at_version
from seeds import load_seed
from tests.conftest import mini_network


@pytest.fixture(params=["memory", "file", "sqlite", "neo4j"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    if request.param == "memory":
        yield MemoryRepository()
    elif request.param == "file":
        yield MemoryRepository(tmp_path / "speicher.json")
    elif request.param == "sqlite":
        from graph.backends.sqlite import SqliteRepository

        with SqliteRepository(tmp_path / "speicher.sqlite") as lite:
            yield lite
    else:
        from graph.backends.neo4j import Neo4jRepository

        uri = request.getfixturevalue("neo4j_uri")
        with Neo4jRepository.from_uri(uri) as neo:
            neo.clear()
            yield neo


def test_is_a_repository(repo):
    assert isinstance(repo, Repository)


def test_empty_store_says_what_to_do(repo):
    assert repo.is_empty()
    with pytest.raises(StoreError, match="lotse load brunnenstrasse"):
        repo.load()


def test_save_and_load_round_trip(repo):
    net = load_seed("dortmund")
    repo.save(net)
    assert not repo.is_empty()
    assert repo.load() == net


def test_save_replaces_whole_network(repo):
    repo.save(load_seed("dortmund"))
    unna = load_seed("unna")
    repo.save(unna)
    assert repo.load() == unna


def test_get_entity_and_unknown_id(repo, mini):
    repo.save(mini)
    assert repo.get("services", "kita").name == "Kita"  # type: ignore[attr-defined]
    with pytest.raises(NotFoundError, match=r"Angebot 'kitta' ist unbekannt\. Meinten Sie 'kita'"):
        repo.get("services", "kitta")


def test_put_adds_and_replaces(repo, mini):
    repo.save(mini)
    new = Service(id="griffbereit", name="Griffbereit", provider="awo", quarters=["q"],
                  life_stages=["toddler"], fields=["education"])
    repo.put("services", new)
    assert repo.get("services", "griffbereit") == new
    renamed = new.model_copy(update={"name": "Griffbereit – Baby-Eltern-Treff"})
    after = repo.put("services", renamed)
    assert [s.name for s in after.services].count("Griffbereit – Baby-Eltern-Treff") == 1
    assert repo.load() == after


def test_invalid_put_changes_nothing(repo, mini):
    repo.save(mini)
    broken = Service(id="x", name="X", provider="unbekannt", quarters=["q"],
                     life_stages=["toddler"], fields=["education"])
    with pytest.raises(InvalidNetworkError, match="Träger 'unbekannt' ist unbekannt"):
        repo.put("services", broken)
    assert repo.load() == mini


def test_delete_and_refused_delete(repo, mini):
    repo.save(mini)
    with pytest.raises(InvalidNetworkError):
        repo.delete("providers", "awo")  # the Kita still references it
    assert repo.load() == mini
    after = repo.delete("transitions", "t2")
    assert [t.id for t in after.transitions] == ["t1"]
    assert repo.load() == after
    with pytest.raises(NotFoundError):
        repo.delete("transitions", "t2")


def test_put_on_empty_store_is_refused(repo):
    with pytest.raises(StoreError):
        repo.put("providers", Provider(id="p", name="P", kind="public"))
    assert repo.is_empty()


def test_location_is_readable(repo):
    assert isinstance(repo.location, str) and repo.location


def test_empty_network_round_trip(repo):
    net = Network(name="Leeres Quartier")
    repo.save(net)
    assert repo.load() == net


def test_restricted_seed_round_trip(repo):
    net = mini_network()
    repo.save(net)
    assert repo.load().restricted_to(["q"]) == net


# -- versions and audit trail (the journal) ---------------------------------------------------

def test_changes_carry_versions_and_are_audited(repo, mini):
    from graph.journal import Edit

    repo.replace(mini, "koordination")
    journal = repo.journal()
    assert journal.version("services", "kita") == 1
    assert [e.action for e in journal.entries] == ["import"]
    kita = repo.get("services", "kita")
    changed = kita.model_copy(update={"name": "Kita Sonnenschein"})
    _, entry = repo.apply(Edit("services", "kita", changed, "quartier-nord", expected_version=1))
    assert (entry.action, entry.version, entry.actor) == ("update", 2, "quartier-nord")
    assert entry.before["name"] == "Kita" and entry.after["name"] == "Kita Sonnenschein"
    journal = repo.journal()
    assert journal.version("services", "kita") == 2
    history = journal.history("services", "kita")
    assert [e.version for e in history] == [2] and history[0].at.tzinfo is not None


def test_stale_version_is_refused_and_changes_nothing(repo, mini):
    from graph.errors import ConflictError
    from graph.journal import Edit

    repo.replace(mini, "koordination")
    kita = repo.get("services", "kita")
    repo.apply(Edit("services", "kita", kita.model_copy(update={"name": "A"}), "x",
                    expected_version=1))
    before, revision = repo.load(), repo.revision()
    with pytest.raises(ConflictError, match="Version 2"):
        repo.apply(Edit("services", "kita", kita.model_copy(update={"name": "B"}), "y",
                        expected_version=1))
    assert repo.load() == before and repo.revision() == revision
    assert len(repo.journal().entries) == 2


def test_create_delete_and_reimport_bump_versions(repo, mini):
    from graph.errors import ConflictError
    from graph.journal import Edit

    repo.replace(mini, "koordination")
    new = Provider(id="caritas", name="Caritas", kind="church")
    repo.apply(Edit("providers", "caritas", new, "k", create=True))
    with pytest.raises(ConflictError, match="gibt es schon"):
        repo.apply(Edit("providers", "caritas", new, "k", create=True))
    _, gone = repo.apply(Edit("providers", "caritas", None, "k", expected_version=1))
    assert (gone.action, gone.version, gone.after) == ("delete", 2, None)
    changed = mini.with_sections(services=[
        s.model_copy(update={"name": "Neu"}) if s.id == "kita" else s for s in mini.services])
    entry = repo.replace(changed, "koordination")
    assert entry.after["changed_entities"] == ["services/kita"]
    assert repo.journal().version("services", "kita") == 2
    assert repo.journal().version("services", "hebamme") == 1
    assert [e.seq for e in repo.journal().entries] == [1, 2, 3, 4]


def test_refused_authorization_changes_nothing(repo, mini):
    """The role check runs inside the store's lock or transaction, on the state it changes."""
    from graph.errors import LotsenError
    from graph.journal import Edit

    repo.replace(mini, "koordination")
    before, revision = repo.load(), repo.revision()
    seen = []

    def refuse(net, old, new):
        seen.append((net == before, old.name, new.name))
        raise LotsenError("nicht erlaubt")

    kita = repo.get("services", "kita")
    with pytest.raises(LotsenError, match="nicht erlaubt"):
        repo.apply(Edit("services", "kita", kita.model_copy(update={"name": "X"}), "x",
                        expected_version=1, authorize=refuse))
    assert seen == [(True, "Kita", "X")]
    assert repo.load() == before and repo.revision() == revision


def test_change_is_apply_without_the_network(repo, mini):
    """``change`` accepts and refuses exactly what ``apply`` does (Neo4j checks it on the
    part of the network the change touches)."""
    from graph.journal import Edit

    repo.replace(mini, "koordination")
    kita = repo.get("services", "kita")
    entry = repo.change(Edit("services", "kita", kita.model_copy(update={"name": "K"}), "x",
                             expected_version=1))
    assert (entry.action, entry.version) == ("update", 2)
    broken = Service(id="x", name="X", provider="awx", quarters=["q"],
                     life_stages=["toddler"], fields=["education"])
    with pytest.raises(InvalidNetworkError,
                       match=r"Träger 'awx' ist unbekannt\. Meinten Sie 'awo'"):
        repo.change(Edit("services", "x", broken, "x"))
    assert repo.load().service_index["kita"].name == "K"
    assert "x" not in repo.load().service_index


def test_replace_at_a_stale_version_is_refused_and_changes_nothing(repo, mini):
    """``at_version`` is decided on the journal the store holds in its own write
    transaction (issue 32: a replace never reverts a confirmed change)."""
    repo.save(mini)
    seen = repo.journal().next_seq - 1
    kita = repo.get("services", "kita")
    repo.put("services", kita.model_copy(update={"name": "Kita am Park"}))
    stale = at_version(seen, lambda now: f"jetzt Stand {now}")
    with pytest.raises(ConflictError, match=f"jetzt Stand {seen + 1}"):
        repo.replace(mini, "koordination", check=stale)
    assert repo.get("services", "kita").name == "Kita am Park"  # type: ignore[attr-defined]
    assert repo.journal().next_seq - 1 == seen + 1
    fresh = at_version(seen + 1, lambda now: f"jetzt Stand {now}")
    assert repo.replace(mini, "koordination", check=fresh).seq == seen + 2
    assert repo.get("services", "kita").name == "Kita"  # type: ignore[attr-defined]


def test_a_meeting_is_stored_whole_and_edited_on_its_own(repo):
    """Sitzungen (issue 26) on every backend: agenda, decisions and the measure naming
    the meeting survive a replace, one edit changes only the meeting."""
    import datetime as dt

    from graph.journal import Edit
    from graph.meeting import AgendaItem, AgendaKind, Decision, Meeting

    net = load_seed("brunnenstrasse")
    meeting = Meeting(id="sg-1", body="Steuerungsgruppe Nord", area="brunnenstrasse",
                      date=dt.date(2027, 1, 14), attending=[net.providers[0].id],
                      roles=["Jugendamt"],
                      agenda=[AgendaItem(kind=AgendaKind.FINDING, title="Perle",
                                         ref="PEARL/sprachbilderbuecher",
                                         quarter="brunnenstrasse", note="besprochen"),
                              AgendaItem(title="Verschiedenes")],
                      decisions=[Decision(text="Kitas einladen")])
    repo.replace(net.with_sections(meetings=[meeting]), "test")
    assert repo.load().meetings == [meeting]
    changed = meeting.model_copy(update={"note": "kurz"})
    repo.apply(Edit("meetings", "sg-1", changed, "test"))
    stored = repo.load()
    assert stored.meetings == [changed]
    assert stored.services == net.services
    assert repo.journal().version("meetings", "sg-1") == 2
