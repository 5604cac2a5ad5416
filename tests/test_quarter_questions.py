"""Every ``--quarter`` question answers from a store's part as from the whole network
(issue 28.1).

``lotse load kreis-unna`` then ``lotse check -q selm-mitte`` on the default SQLite store
once answered "Interner Fehler (KeyError: 'district')": the quarter-only read followed a
quarter's Stadtbezirk and nothing else, and Selm has none. The old test asked this of the
seeds with Stadtbezirke only. Here: the shipped seeds, every quarter; and a property over
generated networks of every hierarchy shape (:data:`tests.strategies.SHAPES`: Kreis →
Kommune without Stadtbezirke, with them, quarters of several communes, services serving
quarters of several communes, agreements naming quarters) – each question asked through
the command line of a JSON store (which always reads the whole network), of a SQLite
store (which reads only the quarter's part) and of Neo4j gives the same exit code, output
and files.
"""

from __future__ import annotations

import gc
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.cli import app
from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository
from graph.network import Network
from seeds import load_seed
from tests.conftest import AS_OF
from tests.strategies import SHAPES, networks

DAY = AS_OF.isoformat()


def _questions(net: Network, quarter: str, age: int, language: str | None) -> list[list[str]]:
    """The quarter questions of the command line (check, owner, next, indicators, matrix,
    compare, summary), each with ``--quarter`` where it has it."""
    q = ["-q", quarter, "--as-of", DAY]
    other = next((x.id for x in net.quarters if x.id != quarter), None)
    asked = [
        ["check", *q, "--json"], ["check", *q], ["check", *q, "--top", "3"],
        ["owner", *q, "--json"], ["owner", *q, "--unowned", "--json"],
        ["next", *q, "--age", str(age), "--json",
         *(["--language", language] if language else [])],
        ["indicators", *q, "--json"],
        ["indicators", *q, "--level", "municipality", "--json"],
        ["indicators", *q, "--level", "county", "--json"],
        ["indicators", *q, "--level", "district", "--json"],
        ["matrix", *q, "--format", "html"],
        ["compare", quarter, "--as-of", DAY, "--json"],
        ["summary", *q],
    ]
    if other is not None:
        asked.append(["compare", quarter, other, "--as-of", DAY, "--json"])
        asked.append(["compare", quarter, other, "--as-of", DAY])
    return asked


def _answer(args: list[str], store: str, folder: Path) -> tuple[int, str, str, bytes]:
    """Exit code, output, the error (if any) and the file written, of one question."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "antwort.html"
    target.unlink(missing_ok=True)
    extra = ["--out", str(target)] if args[0] == "matrix" else []
    result = CliRunner().invoke(app, [*args, *extra, "--store", store],
                                env={"COLUMNS": "200", "LOTSE_STORE": ""})
    error = "" if result.exception is None or isinstance(result.exception, SystemExit) \
        else f"{type(result.exception).__name__}: {result.exception}"
    written = target.read_bytes() if target.exists() else b""
    output = result.output.replace(store, "SPEICHER").replace(str(target), "DATEI")
    if not store.endswith((".json", ".sqlite")):
        # the command leaves its Neo4j driver to the end of its process: collect it here,
        # inside this test, not in whichever test the garbage collector runs next
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
    return result.exit_code, output, error, written


def _stores(net: Network, folder: Path) -> tuple[str, str]:
    whole, part = folder / "ganz.json", folder / "teil.sqlite"
    for p in (whole, part):
        p.unlink(missing_ok=True)
    MemoryRepository(whole).save(net)
    with SqliteRepository(part) as repo:
        repo.save(net)
    return str(whole), str(part)


def _same_answers(net: Network, quarter: str, age: int, language: str | None,
                  folder: Path, others: tuple[str, ...] = ()) -> None:
    whole, part = _stores(net, folder)
    for args in _questions(net, quarter, age, language):
        expected = _answer(args, whole, folder / "ganz")
        assert "Interner Fehler" not in expected[1] and not expected[2].startswith(
            ("KeyError", "TypeError", "AttributeError")), (args, expected)
        for store in (part, *others):
            got = _answer(args, store, folder / "teil")
            assert got == expected, (args, store)


def test_kreis_unna_quarter_check_on_sqlite_answers(tmp_path):
    """The crash of the issue, as a user met it: a commune without Stadtbezirke."""
    net = load_seed("kreis-unna")
    assert any(q.district is None for q in net.quarters)
    _, part = _stores(net, tmp_path)
    result = CliRunner().invoke(app, ["check", "-q", "selm-mitte", "--store", part],
                                env={"COLUMNS": "200", "LOTSE_STORE": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 0 and "Interner Fehler" not in result.output
    assert "Selm-Mitte" in result.output


def _seed_quarters() -> list[tuple[str, str]]:
    return [(seed, q.id) for seed in ("brunnenstrasse", "dortmund", "unna", "kreis-unna")
            for q in load_seed(seed).quarters]


@pytest.mark.parametrize(("seed", "quarter"), _seed_quarters())
def test_every_seed_quarter_answers_like_the_whole_network(tmp_path, seed, quarter):
    from lotsen.check import check

    net = load_seed(seed)
    _, part = _stores(net, tmp_path)
    with SqliteRepository(Path(part)) as repo:
        alone = repo.load_quarters([quarter])
    assert alone.restricted_to([quarter]) == net.restricted_to([quarter])
    assert [f.to_dict() for f in check(alone, AS_OF, quarters=[quarter])] == \
        [f.to_dict() for f in check(net, AS_OF, quarters=[quarter])]
    _same_answers(net, quarter, 30, None, tmp_path)


def _case(draw: Any) -> tuple[Network, str, int, str | None]:
    net = draw(networks(max_services=7))
    quarter = draw(st.sampled_from([q.id for q in net.quarters]))
    age = draw(st.integers(-6, 130))
    language = draw(st.none() | st.sampled_from(["de", "ar", "tr"]))
    return net, quarter, age, language


cases = st.composite(_case)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases())
def test_quarter_questions_on_sqlite_equal_the_whole_network(tmp_path_factory, case):
    net, quarter, age, language = case
    _same_answers(net, quarter, age, language, tmp_path_factory.mktemp("frage"))


def test_the_shapes_are_generated():
    """Each hierarchy shape appears: quarters without a district, with one, of several
    communes, and services serving several quarters."""
    seen: set[str] = set()

    @settings(max_examples=60, deadline=None)
    @given(shape=st.sampled_from(SHAPES), data=st.data())
    def look(shape: str, data: Any) -> None:
        net = data.draw(networks(shape=shape))
        if shape == "kommune-ohne-bezirke":
            assert all(q.district is None and q.municipality for q in net.quarters)
        if shape == "kommune-mit-bezirken":
            assert net.districts and len(net.municipalities) == 1
        if shape == "mehrere-kommunen":
            assert len(net.municipalities) >= 2
            assert {m.county for m in net.municipalities} == {"Kreis Unna"}
        seen.add(shape)
        if any(len(s.quarters) > 1 for s in net.services):
            seen.add("mehrere Quartiere")

    look()
    assert seen == {*SHAPES, "mehrere Quartiere"}


# a command of the command line leaves the Neo4j driver to the end of its process; here
# many commands run in one process
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning",
                            "ignore::ResourceWarning")
@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases())
def test_quarter_questions_on_neo4j_equal_the_whole_network(neo4j_uri, tmp_path_factory,
                                                             case):
    from graph.backends.neo4j import Neo4jRepository

    net, quarter, age, language = case
    with Neo4jRepository.from_uri(neo4j_uri) as repo:
        repo.save(net)
    _same_answers(net, quarter, age, language, tmp_path_factory.mktemp("neo4j"),
                  others=(neo4j_uri,))
