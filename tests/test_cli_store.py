"""``lotse migrate``, ``backup``, ``backups``, ``restore`` and the automatic backup before
a full replace, run as real processes on real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository
from graph.backup import AUTO_KEEP, backup_before_replace, list_backups
from seeds import load_seed
from tests.test_cli import lotse

DATA = Path(__file__).parent / "data"


def test_default_store_is_sqlite_and_old_default_is_taken_over(tmp_path):
    shutil.copy(DATA / "speicher-schema-1.json", tmp_path / "lotse-speicher.json")
    old = MemoryRepository(tmp_path / "lotse-speicher.json")
    net, entries = old.load(), old.journal().entries
    result = lotse("summary", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "übernommen" in result.stderr
    lite = SqliteRepository(tmp_path / "lotse-speicher.sqlite")
    assert lite.load() == net and lite.journal().entries == entries
    assert (tmp_path / "lotse-speicher.json").read_bytes() == \
        (DATA / "speicher-schema-1.json").read_bytes()


def test_migrate_command_keeps_everything_and_never_overwrites(tmp_path):
    shutil.copy(DATA / "speicher-schema-1.json", tmp_path / "alt.json")
    result = lotse("migrate", "alt.json", "neu.sqlite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "übernommen" in result.stdout and "Änderungen im Protokoll" in result.stdout
    again = lotse("migrate", "alt.json", "neu.sqlite", cwd=tmp_path)
    assert again.returncode == 1 and "gibt es schon" in again.stderr
    assert "Traceback" not in again.stderr
    check = lotse("check", "--store", "neu.sqlite", cwd=tmp_path)
    assert check.returncode in (0, 1) and "Traceback" not in check.stderr


@pytest.mark.parametrize("name", ["lotse-speicher.sqlite", "kette.json"])
def test_backup_list_restore_round_trip(tmp_path, name):
    assert lotse("load", "brunnenstrasse", "--store", name, cwd=tmp_path).returncode == 0
    made = lotse("backup", "--store", name, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "Gesichert nach" in made.stdout
    loaded = lotse("load", "unna", "--store", name, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "vorherige Stand ist gesichert" in loaded.stdout  # automatic, before the replace
    listed = lotse("backups", "--store", name, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "manuell" in listed.stdout and "vor Import" in listed.stdout
    backups = list_backups(tmp_path / name)
    manual = next(b for b in backups if b.reason == "manuell")
    assert manual.revision == 1 and manual.name == load_seed("brunnenstrasse").name
    restored = lotse("restore", manual.path.name, "--store", name, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "zurückgeholt" in restored.stdout
    repo = SqliteRepository(tmp_path / name) if name.endswith(".sqlite") else \
        MemoryRepository(tmp_path / name)
    assert repo.load() == load_seed("brunnenstrasse")
    entries = repo.journal().entries
    assert [e.seq for e in entries] == [1, 2, 3]  # nothing of the history lost
    assert entries[-1].after is not None
    assert entries[-1].after["restored_from"] == manual.path.name
    history = lotse("backups", "--store", name, cwd=tmp_path)
    assert "vor Wiederherstellung" in history.stdout


def test_restore_of_a_missing_file_says_what_to_do(tmp_path):
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    result = lotse("restore", "gibts-nicht.sqlite", cwd=tmp_path)
    assert result.returncode == 1 and "lotse backups" in result.stderr
    assert "Traceback" not in result.stderr
    empty = lotse("backups", cwd=tmp_path)
    assert empty.returncode == 0 and "Keine Sicherungen" in empty.stdout


def test_automatic_backups_are_bounded(tmp_path):
    repo = SqliteRepository(tmp_path / "s.sqlite")
    assert backup_before_replace(repo) is None  # nothing stored yet
    repo.save(load_seed("unna"))
    for _ in range(AUTO_KEEP + 3):
        assert backup_before_replace(repo) is not None
    automatic = [b for b in list_backups(tmp_path / "s.sqlite") if b.reason == "vor Import"]
    assert len(automatic) == AUTO_KEEP


@pytest.mark.parametrize("command", ["migrate", "backup", "backups", "restore"])
def test_store_commands_have_german_help_with_example(tmp_path, command):
    result = lotse(command, "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Beispiel" in result.stdout


def test_werkstatt_import_keeps_the_previous_state_as_a_backup(tmp_path):
    from api.usecases.imports import take_over
    from api.usecases.roles import Principal, Role
    from api.web.state import StoreState

    repo = SqliteRepository(tmp_path / "s.sqlite")
    repo.save(load_seed("unna"))
    take_over(StoreState(repo), Principal("koordination", Role.COORDINATOR),
              load_seed("dortmund"))
    kept = list_backups(tmp_path / "s.sqlite")
    assert [b.reason for b in kept] == ["vor Import"]
    with SqliteRepository(kept[0].path) as old:
        assert old.load() == load_seed("unna")


def test_a_restore_reads_as_a_sentence_in_the_history():
    import datetime as dt

    from graph.journal import AuditEntry
    from visualisation.audit_text import sentence

    entry = AuditEntry(seq=3, at=dt.datetime(2026, 11, 25, 10, 5, tzinfo=dt.UTC),
                       actor="lotse", action="import", section="network", entity_id="N",
                       version=0, after={"name": "N", "restored_from": "s-20261125.sqlite"})
    assert "die Sicherung s-20261125.sqlite zurückgeholt" in sentence(entry)
