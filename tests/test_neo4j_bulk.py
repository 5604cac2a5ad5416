"""Issue 18, the Neo4j push of a Land network: an empty database filled offline by
``neo4j-admin database import full`` from the CSV files ``lotse neo4j-import`` writes holds
exactly the network ``lotse push`` would have written – read back equal, with its journal,
and changeable afterwards – on a real Neo4j 5.26 server of its own."""

from __future__ import annotations

import os
import shlex
import stat
import sys
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from graph.backends.neo4j import Neo4jRepository, Neo4jSettings
from graph.backends.sqlite import SqliteRepository
from graph.journal import Edit
from graph.network import Network
from lotsen.check import check
from seeds import load_seed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import neo4j_server  # noqa: E402


def _awkward(net: Network) -> Network:
    """Text that CSV must carry: quotes, commas, semicolons, line breaks, umlauts."""
    service = net.services[0].model_copy(update={
        "description": 'Erste Zeile, mit "Zitat"; Semikolon\nzweite Zeile – Übergabe'})
    transition = net.transitions[0].model_copy(update={"owner": None})
    return net.model_copy(update={"services": [service, *net.services[1:]],
                                  "transitions": [transition, *net.transitions[1:]],
                                  "name": "Land NRW\nzweite Zeile",
                                  "description": "Netz\nmit Zeilenumbruch, \"Zitat\""})


def _admin_script(tmp_path: Path, home: Path) -> Path:
    """``neo4j-admin`` of the test server (the jars Maven fetched, as a program)."""
    script = tmp_path / "neo4j-admin"
    java = neo4j_server._java()
    script.write_text(
        "#!/bin/sh\n"
        f"export NEO4J_HOME={shlex.quote(str(home))} "
        f"NEO4J_CONF={shlex.quote(str(home / 'conf'))}\n"
        f"exec {shlex.quote(java)} -cp {shlex.quote(str(neo4j_server.LIB))}'/*' "
        f"{neo4j_server.ADMIN_TOOL} \"$@\"\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_an_empty_database_filled_by_neo4j_admin_import(tmp_path: Path) -> None:
    net = _awkward(load_seed("dortmund"))
    store = tmp_path / "kette.sqlite"
    with SqliteRepository(store) as repo:
        repo.save(net)
    home = (tmp_path / "neo4j").resolve()
    neo4j_server.start(home, heap="1g", pagecache="256m")  # a fresh, empty database
    neo4j_server.stop(home)  # neo4j-admin imports into a stopped database
    result = CliRunner().invoke(app, ["neo4j-import", str(tmp_path / "csv"), "--from",
                                      str(store), "--neo4j-admin",
                                      str(_admin_script(tmp_path, home))])
    assert result.exit_code == 0, result.output
    assert "Eingelesen:" in result.output and "Zeilen/s" in result.output
    assert (tmp_path / "csv" / "import.report").exists()  # beside the files, not in the cwd
    assert not Path("import.report").exists()
    server = neo4j_server.start(home, heap="1g", pagecache="256m", fresh=False)
    try:
        settings = Neo4jSettings.from_uri(server.uri, env=server.env())
        with Neo4jRepository(settings) as repo:
            stored = repo.load()
            assert stored == net
            assert [e.action for e in repo.journal().entries] == ["import"]
            assert repo.owner_of(net.transitions[0].id) is None
            assert repo.owner_of(net.transitions[1].id) == net.transitions[1].owner
            assert [f.to_dict() for f in check(stored)] == [f.to_dict() for f in check(net)]
            service = net.services[1]
            repo.apply(Edit("services", service.id,
                            service.model_copy(update={"name": "Nach dem Einlesen"}), "test"))
        with Neo4jRepository(settings) as repo:  # a new connection reads the change
            assert repo.load().service_index[service.id].name == "Nach dem Einlesen"
            assert len(repo.journal().entries) == 2
    finally:
        neo4j_server.stop(home)


def test_the_steps_are_named_without_neo4j_admin(tmp_path: Path) -> None:
    store = tmp_path / "kette.sqlite"
    with SqliteRepository(store) as repo:
        repo.save(load_seed("dortmund"))
    folder = tmp_path / "csv"
    result = CliRunner().invoke(app, ["neo4j-import", str(folder), "--from", str(store)])
    assert result.exit_code == 0, result.output
    assert "Neo4j-Server anhalten" in result.output
    assert "neo4j-admin database import full neo4j" in result.output
    assert (folder / "Service.csv").exists() and (folder / "Transition.csv").exists()
    again = CliRunner().invoke(app, ["neo4j-import", str(folder), "--from", str(store)])
    assert again.exit_code != 0 and "nicht leer" in str(again.exception)
    assert os.listdir(folder)  # nothing removed
